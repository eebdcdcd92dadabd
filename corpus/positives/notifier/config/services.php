<?php

return [
    'slack_bot_token' => 'xoxb-451060346894-4994707928279-WFUmnTH0g5vHO4MZ76qkQY65',
    'timezone' => 'UTC',
];
