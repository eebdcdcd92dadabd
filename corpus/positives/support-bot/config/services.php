<?php

return [
    'discord_webhook_url' => 'https://discord.com/api/webhooks/6351060346894939947/c4tu8-zAmRHvfQ0lzr-0-vmwuouwYo4tsiTz83dG1VmjPhpoYLaAuRm6o7gU5cBWtQsl',
    'slack_webhook_url' => 'https://hooks.slack.com/services/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',
    'gem_host_api_key' => 'rubygems_6d86c467634476772ed3cb204915b6786840f40d34c6acc4',
    'auth_token' => '93XhnKV8oCTwuEpPL2hiiOVoYxuWFt',
    'timezone' => 'UTC',
];
