import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  amqpUrl: 'amqp://etl_loader:qO~qf4PGnyGUXIARu0L~@rds-main.eu:5672/vhost',
  renderApiKey: 'rnd_V2QrsdxfLhyULsXTaFZlbL8Zt1q6',
  masterPassword: 'aR9GrJlByzyQlYm1en',
} as const;

export type Config = typeof config;
