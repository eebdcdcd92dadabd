#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export SECRET_KEY='DAq+awt5fVVt6tsaj_y+mfJGR'
export MINIO_SECRET_KEY='oFk0+vRgN^uGV_x!xaNAiEngRN1Aa!_mb1_!'
export MINIO_SECRET_KEY='RSrs6kMevOjYNxv0r6AzA'

echo "done: $(date -u +%FT%TZ)"
