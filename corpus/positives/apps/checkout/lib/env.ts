import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  brokerUrl: 'amqp://api:RfQS8hJk0qrht_77wd_@cluster0.x7kqm.net:5672/vhost',
  flyApiToken: 'FlyV1 fm2_c7sM7ysoHcvlVrZWBRCo4Dslq28dI7kTIBvg0gT7dIueZR+AM4aCA81ZPXrwDpSlXFnrT9Q183F0P9Qsu6t7hPHcQUXBxFpGMdpdPb0myxeeUO3P6O4VR4DqIXKL1BIzqRmH/5j2chqcOOUcdfAHNTY0gRVJIuWuJUJuhOzMZhPK7pNpNsiwtvU4yHq5vMQy6hXW0BMC8wKd6KdD7zWkhXIeCF+biwkKbW5la7N4gUKv0UVe,fm2_MxwQdhlMzU3GCv6GKzBFi/PQxUnw1BHho2FPR2aVgvBU541qaorcc9Nwntn6IKmuWCQbo6PgzOAueLZt8e9n/L7GcJScocP051Vf5LRTJPIs94IxEAFuGn8t42upc0W3sbdNEaN3nhDentqvFtR0DJ',
  dtApiToken: 'dt0c01.FKL31B1DPFPW27Y4X7YAPV9G.ZIHUBA9UVZPLN5FOLAY06E29HTYCIZJLGI495QIDQCTVG6ODKGSFKCHKPCGJEEOI',
  sentryAuthToken: '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',
} as const;

export type Config = typeof config;
