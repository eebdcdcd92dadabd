#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export PYPI_API_TOKEN='pypi-AgEIcHlwaS5vcmceYsrbEm6HWTkzZbtQl63djgf78HeuwcnZ6oAZWqyw5GDSSGNFwJQprD8JS0przsX9-HorU66Ftpc8lv0mQx9BuiqccuUNuC5EnFBOsAjW7hdKR8vm6LtAjVz3BwO0DEWFFmFNo09Wce28WvGkaMkvGbeepB2WcVv'
export COHERE_API_KEY='86nbzjTPG0YuHgexZwY4QMMPuQrdstXfma5LHREd'

echo "done: $(date -u +%FT%TZ)"
