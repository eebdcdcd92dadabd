#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export ANTHROPIC_API_KEY='sk-ant-api03-NRJ_gGWtJe4P39JhE9kbpX9HBU_XFi4rC_-lLZSkp3h_gUgXinW4G90sfXpFgGSqQsXxRkxBs3NEQAN9qV2sLYLUcoO3VAA'

echo "done: $(date -u +%FT%TZ)"
