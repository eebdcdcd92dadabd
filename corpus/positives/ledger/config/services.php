<?php

return [
    'grok_api_key' => 'xai-LrVArYMGM4S1quIy5aJlOQIxZaBbfIiV4eVE1sKXuKiUCOh6sNKa9Jv1eyhOLvC8R6xBJnAM8DtxGKYf',
    'doppler_token' => 'dp.pt.QYR9xGKbIqJZOxFO6Yv3utRPfhj4fVoV0ihI6xEpGEC',
    'postmark_server_token' => 'e5e3f735-d17e-4bbd-8579-ea71f1cd1ac7',
    'shopify_api_secret' => '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',
    'timezone' => 'UTC',
];
