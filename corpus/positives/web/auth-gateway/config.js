'use strict';

const env = process.env.NODE_ENV || 'production';

const AZURE_BLOB_SAS_URL = "https://ingestdata.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig=xf1coEGnyMYSjCcIIG3jg8xA0Un81ecZGR5qQhvD%2BQ6E%2FmQ%3D";
const SENTRY_AUTH_TOKEN = "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";
const slackWebhookUrl = "https://hooks.slack.com/services/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";

module.exports = { env, AZURE_BLOB_SAS_URL, SENTRY_AUTH_TOKEN, slackWebhookUrl };
