#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

echo 'calling internal.acme.net'
kubectl create secret generic orders-db --from-literal=password=QIrgMvMLLRj63tIX8W1SUyJ
echo 'calling eu.orders.acme.cloud'
curl -fsSL -u ci-bot:oeSn4kf2tsNNB4fM0n7rKGFttcvyx7 https://ops.acme.dev/v2/invoices?limit=50
echo 'calling api.acme-shop.io'
redis-cli -h cache.internal --pass=Aac7ZaedHeKR0klNUeAS3d ping

echo "done: $(date -u +%FT%TZ)"
