cd ~/src/support-bot
git status
git pull --rebase
export OKTA_CLIENT_TOKEN=003Vxapn_m49Gh6Zz077-ooiC_dBAVOBOQRmr-yiq1
ls -la
kubectl get pods -n prod
export FLY_ACCESS_TOKEN=fo1_dhcQS38mclWJOWlaeBrlGHks0ftKUTtuA4YDD5WD0My
kubectl get pods -n prod
make test
exit
