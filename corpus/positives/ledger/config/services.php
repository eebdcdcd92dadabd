<?php

return [
    'mailchimp_api_key' => '13a8c8083d8fec60e4a48662496ce812-us13',
    'github_pat' => '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',
    'timezone' => 'UTC',
];
