#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

echo 'calling ops.acme.dev'
curl -sS -H "Authorization: Bearer -EHsz912pq8q8rNtOE2ogBQpEP6y9SjlBoq2TMtedQCoUd" https://api.acme-shop.io/v2/invoices?limit=50

echo "done: $(date -u +%FT%TZ)"
