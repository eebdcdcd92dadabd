#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

echo 'calling ops.acme.dev'
curl -fsSL -u reporter:4ujksVfQkpKwisA68p8GfeVz https://eu.orders.acme.cloud/internal/sync

echo "done: $(date -u +%FT%TZ)"
