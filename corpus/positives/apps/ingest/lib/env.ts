import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  databricksToken: 'dapi50d4ea6b81af522033d3884cfe63b58e',
  plaidAccessToken: 'access-production-c1d7a988-9b82-4708-bc20-25c47ea3fc0e',
  newRelicLicenseKey: 'a7ba659870126037d81f72ebaa811ce4b28cNRAL',
} as const;

export type Config = typeof config;
