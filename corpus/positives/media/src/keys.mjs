'use strict';

const env = process.env.NODE_ENV || 'production';

const MONGO_URL = "mongodb://svc_orders:2twWSOD_-UEC7RuUc@db.internal:27017/orders?authSource=admin";
const AWS_SESSION_TOKEN = "IQoJb3JpZ2luX2VjExc27H2en6uKk7I2+npjoHkFj7/V9vH9/1ShOIxMtqFMzJCd6u4fqqHXYRMq0mqzvZ2JzOWP0bHF2ZScXNPCaEMMGHVkWLS6Ip75ABn9yMJ3Fe4e2/D3cTlMhIYhmciRRpmLqgXp5PIig21pRYrdgFbILPB9PwZ/F5PHvIVLXLzh3Uqbq0tGvShB0171L781eLXSeq6W71QbXtKWwCcS0vXjCkhv/wdbTzFOulSPLfJ+O+4Oh5ZKP+kIEb9AWMSRvy1KRI2UTJgkF8sNKRf8hvyMyi0JOEpUjlbEcG7x6x3K6RV1FY1/JAGax+7jNRJZJSOqjasjdL2tFxikZj+Sgk0jaWVnOIOptzlIToGzpGCmtjTvWfhg2bWE9Of8SHLt==";
const SQUARE_ACCESS_TOKEN = "EAAAcatNPuZMwXZWsRmfhEPdkjnI0eYYtrV9GbGGDfvbshMhl-duiyvplOkC8QjJ";

module.exports = { env, MONGO_URL, AWS_SESSION_TOKEN, SQUARE_ACCESS_TOKEN };
