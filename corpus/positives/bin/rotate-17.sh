#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

echo 'calling ops.acme.dev'
terraform apply -auto-approve -var="db_password=nfVXWw9j85lcbHmbNm9ms"

echo "done: $(date -u +%FT%TZ)"
