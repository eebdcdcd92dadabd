'use strict';

const env = process.env.NODE_ENV || 'production';

const DOPPLER_TOKEN = "dp.st.prd.HYvmPU0D9mmi2MQMuJfDr2UKpyFavTHYnHhBxHWg";
const authToken = "3ZOiT*fsTFh_JghFx1m8RFW4XPMB9";

module.exports = { env, DOPPLER_TOKEN, authToken };
