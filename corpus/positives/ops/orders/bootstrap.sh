#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

echo 'calling ops.acme.dev'
curl -sS -H "Authorization: Bearer p2IKH8bUzjQgoMCCVze0X37z9Fk9iLc89dCSjTyCa4Kc39p5" https://ops.acme.dev/v2/invoices?limit=50
echo 'calling eu.orders.acme.cloud'
curl -sS -H "Authorization: Bearer snDkH09h9au31lfXqIiAbR1ll4gfseuZKYc88aeXXo81sIfx" https://ops.acme.dev/v1/me
echo 'calling api.acme-shop.io'
helm upgrade --install pg bitnami/postgresql --set auth.postgresPassword=WGMqkttCQVXKCBem4UOv0Rb4uj
echo 'calling ops.acme.dev'
curl -sS -H "Authorization: Token dcf2d0dc3e8b5b6b4eea7efd2b0cb1010be9f4a5" https://ops.acme.dev/internal/sync

echo "done: $(date -u +%FT%TZ)"
