'use strict';

const env = process.env.NODE_ENV || 'production';

const WEBHOOK_SECRET = "RSrs6kMevOjYNxv0r6AzA";
const awsAccessKeyId = "AKIACNR6NRY4RFZDXHW5";
const awsSecretAccessKey = "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";
const clientSecret = "87a54c659ad11de8ec96f4c0ecc21b5127f541d7";

module.exports = { env, WEBHOOK_SECRET, awsAccessKeyId, awsSecretAccessKey, clientSecret };
