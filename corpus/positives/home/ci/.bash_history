: 1740154654:0;cd ~/src/webhooks
: 1740154691:0;git status
: 1740154728:0;git pull --rebase
: 1740154765:0;curl -sS -H "X-API-Key: eg9fsM01eQI7Q7UO244CeDpOtfrzpYgBbenOGIwB" https://ops.acme.dev/v1/me
: 1740154802:0;ls -la
: 1740154839:0;make test
: 1740154876:0;curl -sS -H "Authorization: Bearer 6b753b7c8ac1b1f4a9dc475a8c9880ddd05992c7" https://eu.orders.acme.cloud/v2/invoices?limit=50
: 1740154913:0;ls -la
: 1740154950:0;docker ps
: 1740154987:0;exit
