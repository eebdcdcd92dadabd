'use strict';

const env = process.env.NODE_ENV || 'production';

const DROPBOX_ACCESS_TOKEN = "sl.WHXaTgem6yF89hqzaVJRA0wPZNIWBQp7u_doP8i3WdR1ruIUfY0wC6Lksn1sos0aaMJkUKFFfleig1lVzA4qLHvMZjMBWqNJ4Ky_BqrwDB2QJvjzqIwt7YLYGUOuchWANCjUiW2";

module.exports = { env, DROPBOX_ACCESS_TOKEN };
