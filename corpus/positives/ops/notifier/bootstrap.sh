#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export SERVICE_PASSWORD='JBZjEBXKtDYHC6B9F8'
export JWT_SECRET='sz9_12pq8q8rNtOE*2ogBQpEP6'

echo "done: $(date -u +%FT%TZ)"
