<?php

return [
    'artifactory_api_key' => 'AKCpyeeyOWDi4S8waeAdO1kKqQp3SsUni3v6H6NVigQALbSJsVwZ02zgWp0xeuu2FIysegMZj',
    'redis_password' => 'VrRZPBqhVzvFqoc6mMhxMFMsOlIlqA7nm',
    'openai_api_key' => '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',
    'hubspot_private_app_token' => 'pat-eu1-a090194a-f089-470e-ace1-b471a942915b',
    'timezone' => 'UTC',
];
