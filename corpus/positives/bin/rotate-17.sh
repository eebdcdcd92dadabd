#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export GRAFANA_CLOUD_TOKEN='glc_eyJvIjoiODIwNzc5IiwibiI6InN0YWNrLTgyNzc5MS1obS1yZWFkIiwiayI6Imtmd3RtYUhBZXFwTm5KOWw4MEthZXdGQyIsIm0iOnsiciI6InByb2QtZXUtd2VzdC0yIn19'
export REDIS_URL='redis://app:QS5WUutXXljNa-GDYt4nF-@pg-primary.prod.svc:6379/0'
export DOPPLER_TOKEN='dp.pt.l6Zxo3LSsU0nAxljTktVdy0M9fSvDin9liDZjTq0UVE'

echo "done: $(date -u +%FT%TZ)"
