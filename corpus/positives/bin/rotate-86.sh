#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export AWS_ACCESS_KEY_ID='AKIA6XFQTOMONBKMJB6O'
export AWS_SECRET_ACCESS_KEY='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'

echo "done: $(date -u +%FT%TZ)"
