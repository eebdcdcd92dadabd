<?php

return [
    'gh_token' => 'ghp_p1Xl9VgXu0iBiN3dXIUCmTARsvYkht9XLld5',
    'telegram_bot_token' => '9317532489:AAMJ-bG-c8XNLjTfk0LZ5dCJxlRlEJSUG-k',
    'vault_token' => 'hvs.Twr4W98c3pyq9EXMSLpAGTFEn-pgiNg3fzDy-WeL300ZA6o22xpC4RzIKvC_vXvsWTQreE4TKR3PhvQwiJ1pl1RN4oMY0P53rJmt1sU0V3mAY8',
    'azure_storage_connection_string' => 'DefaultEndpointsProtocol=https;AccountName=tfstateacct;AccountKey=JpQxBlDSiLT2Iv8+NFKOeG7YM0lKP1ekCj9c/7mnuxrGYVBfQ7NoxFh1pTwEZyb9TRBk/D+eAbdcFKp1QgG/Ye==;EndpointSuffix=core.windows.net',
    'timezone' => 'UTC',
];
