#!/usr/bin/env bash
# Deploy helper: run from the repo root.
set -euo pipefail

export JWT_SECRET='DAq+awt5fVVt6tsaj_y+mfJGR'
export FIREWORKS_API_KEY='fw_H1ItJcEtPYIQ4pfzrG2PmUTf'
export ACCESS_TOKEN='VFuuwY8IeyPJlsL23BCYVPVfTyutyoc'
export WANDB_API_KEY='8282530a402c8fb8ce6713c82f7ae457e4b216d8'

echo "done: $(date -u +%FT%TZ)"
