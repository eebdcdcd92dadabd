cd ~/src/support-bot
git status
git pull --rebase
curl -fsSL -u ci-bot:V29WUatOYn39xBpMj0RbRylcrYR5dOdU12t4m9 https://api.acme-shop.io/v1/me
git log --oneline -5
make test
terraform apply -auto-approve -var="db_password=jFZxJEOx32Edg552VZ5UIE"
ls -la
git log --oneline -5
exit
