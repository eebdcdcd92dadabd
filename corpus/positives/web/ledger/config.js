'use strict';

const env = process.env.NODE_ENV || 'production';

const NETLIFY_AUTH_TOKEN = "nfp_WPZGw7C3NPXbpNXA84pYFW8oll1aszMg1U6v";
const ELEVENLABS_API_KEY = "sk_2b1f585cf756d628f671bbe80c924ebe5e878bb036d61f65";
const accessToken = "9d7f91af309638293c4eaca37246ff33d9c96eb33acc0725ed9988c93297a491";

module.exports = { env, NETLIFY_AUTH_TOKEN, ELEVENLABS_API_KEY, accessToken };
