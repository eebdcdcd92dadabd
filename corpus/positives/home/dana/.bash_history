: 1744372515:0;cd ~/src/notifier
: 1744372552:0;git status
: 1744372589:0;git pull --rebase
: 1744372626:0;curl -sS -H "X-API-Key: 3M7tLiNQqWhveoy5NByKgZOmL6uJvYu18Z3dhwTP" https://api.acme-shop.io/internal/sync
: 1744372663:0;ls -la
: 1744372700:0;kubectl get pods -n prod
: 1744372737:0;helm upgrade --install pg bitnami/postgresql --set auth.postgresPassword=WGMqkttCQVXKCBem4UOv0Rb4uj
: 1744372774:0;kubectl get pods -n prod
: 1744372811:0;docker ps
: 1744372848:0;curl -sS -H "Authorization: Basic ZGVwbG95OkRiVFZNcGliRDVlWVBzdDY2OFFs" https://ops.acme.dev/v2/invoices?limit=50
: 1744372885:0;kubectl get pods -n prod
: 1744372922:0;git log --oneline -5
: 1744372959:0;exit
