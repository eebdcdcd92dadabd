#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export FIREWORKS_API_KEY='fw_H1ItJcEtPYIQ4pfzrG2PmUTf'
export AIRTABLE_TOKEN='patAguurWfDfFlWW3.5ad198302e52ba16a66395800d0fc0a975cf840af7706f40f1b2ba23eb8b492e'

echo "done: $(date -u +%FT%TZ)"
