#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export ASANA_ACCESS_TOKEN='2/1484101872915503/6331424080860768:0a975cf840af7706f40f1b2ba23eb8b4'
export ALIBABA_CLOUD_ACCESS_KEY_ID='LTAIzDhFY3uPnezxb4Grt6Ya'
export ALIBABA_CLOUD_ACCESS_KEY_SECRET='v2zpEervjoaTjnJChr3Z7hcdWiPy8M'
export NPM_TOKEN='npm_LKeFePAfLdiQKd0cGMKAjFlXvhKUeO9o5g8M'

echo "done: $(date -u +%FT%TZ)"
