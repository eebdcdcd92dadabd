'use strict';

const env = process.env.NODE_ENV || 'production';

const ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAIEQd63FTdhiKoK3iAINHX";
const ALIBABA_CLOUD_ACCESS_KEY_SECRET = "SK8htGJogfbcICwxx09pEXO9pCcRe2";

module.exports = { env, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET };
