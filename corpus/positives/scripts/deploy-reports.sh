#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export GEM_HOST_API_KEY='rubygems_2ba8b79c7bb458cd04a69006c5f2342f859814fcb256ec61'
export AZURE_DEVOPS_EXT_PAT='1RggAgrM9rj8yRR7ECTJX7mZ9YX0gwkqD1P71jxIHGonShPQNZYoJQQJ99RJYbd1BMspPxZhfvU2AZDOLzX1'
export INTERNAL_API_KEY='73defa047c44b2298b11db68ff31a69b1e96834e40493be133dfcfbb641a388e'

echo "done: $(date -u +%FT%TZ)"
