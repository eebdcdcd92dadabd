#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export HONEYCOMB_API_KEY='hcaik_qidqctvg6odkgsfkchkpcgjeeoi6ckd7gw4rr7o8u25chmcr456knbixhr'
export NEXTAUTH_SECRET='PbN2qryVCOhIOpXxEXBSN4UfOJyrWBcCo0'

echo "done: $(date -u +%FT%TZ)"
