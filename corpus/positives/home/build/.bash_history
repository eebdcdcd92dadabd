cd ~/src/orders
git status
git pull --rebase
export STRIPE_RESTRICTED_KEY=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
git log --oneline -5
make test
export MAILCHIMP_API_KEY=e640c258bdcea68f1aa8f8798c2dc309-us3
git log --oneline -5
ls -la
export HUGGINGFACE_HUB_TOKEN=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
docker ps
ls -la
export TOGETHER_API_KEY=tgp_v1_IetmxwwyfIy2IYHqxm-Iy_FEN9-eE2wubfE6cAty-ol
docker ps
make test
exit
