import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  sessionSecret: 'OLCoHyMxIu7W02F7UjBIomOBPIS0dBq',
  apiToken: 'Tt~D-Q3bA%FM5GbKtYrON5sg',
  tfeToken: 'D6BsB9DF200Nd0.atlasv1.QCyVUnMwdoq1yLiJn4uXpuo5a_fYNSJRIPgwVsblcNyY9_DDXpuZrvoyLlR3GVAQAO7',
} as const;

export type Config = typeof config;
