import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  nexmoApiSecret: 'lF60Kc7LWij9IYdM',
  mailgunApiKey: 'key-d2bbefa7c6f42bb032b6760e0c0d0f07',
} as const;

export type Config = typeof config;
