#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

echo 'calling eu.orders.acme.cloud'
curl -sS -H "Authorization: Basic ZGVwbG95OkRiVFZNcGliRDVlWVBzdDY2OFFs" https://internal.acme.net/v2/invoices?limit=50
echo 'calling eu.orders.acme.cloud'
terraform apply -auto-approve -var="db_password=TGRm9PzRgKK2klttVQ"
echo 'calling api.acme-shop.io'
curl -sS -H "Authorization: Bearer sgP7yTpkjlkadD3qlEkyLtWsqY65eAVRDbUU1jnv4PBvaOhh" https://svc.northwind.app/v2/invoices?limit=50

echo "done: $(date -u +%FT%TZ)"
