'use strict';

const env = process.env.NODE_ENV || 'production';

const gitlabDeployToken = "gldt-w50dqnZaLZgB0tCWLE4B";
const INTERCOM_ACCESS_TOKEN = "dG9rOjc3UVZTV2hOMTVjQlpJY2NFWlI1cEozMGVUQWNWQUoxNnZKU0k0V2hW";
const CLOUDFLARE_API_TOKEN = "up9K5vLrMHr05lZvwNQlD68r-6fG7X3HDvWcSGBa";

module.exports = { env, gitlabDeployToken, INTERCOM_ACCESS_TOKEN, CLOUDFLARE_API_TOKEN };
