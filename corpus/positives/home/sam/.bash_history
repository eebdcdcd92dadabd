cd ~/src/search-api
git status
git pull --rebase
export NPM_TOKEN=npm_PUdSqH9IYHlPDoDH9EBtXQ3jjsvwToCNLRgL
make test
ls -la
exit
