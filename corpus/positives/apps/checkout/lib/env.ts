import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  alibabaCloudAccessKeyId: 'LTAIEQd63FTdhiKoK3iAINHX',
  alibabaCloudAccessKeySecret: 'SK8htGJogfbcICwxx09pEXO9pCcRe2',
  dropboxAccessToken: 'sl.lsyPUCatqCj4My3V1L9yEtCXoy0hg1iITuQdrW5IiLUcKCDFevKgsqkXPsN6ZPP_QdHZ8v9pKJYhWHXaTgem6yF89hqzaVJRA0wPZNIWBQp7u_doP8i3WdR1ruIUfY0wC6LksnI',
  apiToken: 'Tt~D-Q3bA%FM5GbKtYrON5sg',
  nugetApiKey: 'oy2v2e10x3wjt3z4in47wiyeey3iwae0dkqpsniv7ig0b9',
} as const;

export type Config = typeof config;
