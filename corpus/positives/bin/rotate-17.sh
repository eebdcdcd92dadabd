#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export MAILCHIMP_API_KEY='06e66845d6b8ee87eab72d9706cd7f89-us8'

echo "done: $(date -u +%FT%TZ)"
