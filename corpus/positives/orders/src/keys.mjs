'use strict';

const env = process.env.NODE_ENV || 'production';

const ELEVEN_API_KEY = "sk_0ac2f6581e9b6813058f2ddf1296df450010f6d9aa49e87f";
const IBMCLOUD_API_KEY = "x_LkwvkDPOIluRZdWegPNOGbAndXeJ6tNQ0rZwJrImZL";

module.exports = { env, ELEVEN_API_KEY, IBMCLOUD_API_KEY };
