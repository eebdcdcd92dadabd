import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  sentryAuthToken: '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',
  plaidAccessToken: 'access-production-ba4074db-54fd-4d59-bb35-ed847f6d4053',
} as const;

export type Config = typeof config;
