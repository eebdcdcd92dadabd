<?php

return [
    'github_token' => 'ghp_JIknvCnvg6pHNTy4jB6g3OEfO8iuhovQY5nk',
    'api_key' => 'uA0gV2GN3wsYaZtN2wRe4gP1dUz',
    'slack_webhook_url' => 'https://hooks.slack.com/services/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',
    'timezone' => 'UTC',
];
