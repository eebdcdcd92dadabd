'use strict';

const env = process.env.NODE_ENV || 'production';

const HEROKU_API_KEY = "HRKU-AAc-Z-D6AhUULtf4S4NYfOIlSkMPvOeRQvLYrblBbr8ErXltVwtAcoV9jde5";
const nugetApiKey = "oy2wzgpxeuu58ysegjuln46jne2xr11m4iyvbzjiy209rs";

module.exports = { env, HEROKU_API_KEY, nugetApiKey };
