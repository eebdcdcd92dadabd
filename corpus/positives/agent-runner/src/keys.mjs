'use strict';

const env = process.env.NODE_ENV || 'production';

const ADYEN_API_KEY = "AQEJz9CQwJKzp3PxPynOnbbP6TijCSrTAdRqpz2P52wJCePirzLDrzsYZfaHdZngAJNMDWu1vioiLr=-0GyVpwLl2Nmu85PdCGNbaIiCodaYkgqCw34Al72azG+=";
const OP_SECRET_KEY = "A3-LRBG2Z-6XAKH5-0LDAJ-BJVBK-5S8P8-WSWQ7";
const ELASTIC_PASSWORD = "ojLkPdoklNruYQ3dgd7ZGlOgkWOjhN961";
const sqlalchemyDatabaseUri = "postgresql+psycopg2://svc_orders:tv4NONR~FLvo-_vE6EYiA@db.internal:5432/app";

module.exports = { env, ADYEN_API_KEY, OP_SECRET_KEY, ELASTIC_PASSWORD, sqlalchemyDatabaseUri };
