<?php

return [
    'linear_api_key' => 'lin_api_OoEj0gG09hZnh5aggof0ikM8jzOTLoPGWA0hG9nz',
    'supabase_secret_key' => 'sb_secret_E1rGBXOwRRS8oQcB3e58amPurC-EVes',
    'resend_api_key' => 're_1xjXBRte_yZPtBAA94AZH8FFcuLczugyu',
    'planetscale_service_token' => 'pscale_tkn_czb8xb8ySJy4nK9drMEKI0RuqGFMZEGzwoKPV6NlrBc',
    'timezone' => 'UTC',
];
