<?php

return [
    'dropbox_access_token' => 'sl.sos0aaMJkUKFFfleig1lVzA4qLHvMZjMBWqNJ4Ky_BqrwDB2QJvjzqIwt7YLYGUOuchWANCjUiWltHClx8UdN0Ri9xdhD_3xJ8Z30ZrcIeNoqhvzgbXpf2ef9Fi1f0QpOMU1bCX',
    'timezone' => 'UTC',
];
