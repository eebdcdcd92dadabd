cd ~/src/media
git status
git pull --rebase
helm upgrade --install pg bitnami/postgresql --set auth.postgresPassword=uhE0aE2RbmImC0vUcv2Gn
ls -la
docker ps
curl -sS -H "Authorization: Token 32a73026e3dc828d1641ed64b40b83a49c68d010" https://eu.orders.acme.cloud/v2/invoices?limit=50
docker ps
ls -la
curl -fsSL -u deploy:dHeKR0klNUeAS3dErjFZxJEOx3 https://api.acme-shop.io/v2/invoices?limit=50
make test
git log --oneline -5
exit
