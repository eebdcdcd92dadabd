import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  discordBotToken: 'O9j2_3YCmVpVhrG8CuNl8nMhGt.Go9-iS.rl1G5fS2BlVWw5wuTX653hNcO66D3GGq8cuyAK',
  ngcApiKey: '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',
  flyApiToken: 'FlyV1 fm2_bU/sOXx0r1WsvPEobUMaP4jMhG8BQGAFd7EjkYDsMCgLQgUufXLbyn42YvfgFxDlBtIpWWvRv7ccpu/BpE2+UE6HYcrqgIR2fToX89egIIK9LXPecbS3yiohsNbcodAjf4h2T2WZNQkYph/+UT7IuzKUSgt0XJ7OLgdF12s2YB0zw5mDCg6E5dJ1FeVVKBKkFCjJYntNvClAYelswXANx3aa4cziRqer1/Z1w66bE/P4A+ho,fm2_YJfjKui3b31cNGAp/dC4jcFhvAhwLGy5+jBT49dQBt7jI14zmJ8D28QU+1+O+6kna9zSdqCCuWGIhMOvlfqCszXnhjuX6CLli6P4K6zhmI0YJEcWfJmQSGRHKNyA0/W4qWmweoI/39TJhml6Baizo/',
} as const;

export type Config = typeof config;
