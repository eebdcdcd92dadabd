import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  cookieSecret: 'civ2TdoqKWZIJCyIyYqTTboVoOlLEytr04GgitoupXk26Zi8yeLNhhybketfUC3t',
} as const;

export type Config = typeof config;
