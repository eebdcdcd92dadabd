import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  sendgridApiKey: 'SG.Te8qQr-NGISrA052p3G-Ic.3J4qSln23Lr0CTzvkT8TlAKCBirypcVpGqVr3z1vzPm',
  cloudflareOriginCaKey: 'v1.0-629cd2dfa695dcc3e8d488f6-2cd66059b4ed0eca7f178ff3fc478baf21b2ec36fa13835dfca7c8532b973a0381e735501a856ed7eea5c8ed8487d635615cdeed5523254df8af94ee12d8971d169ef66ec1874d924b',
  langchainApiKey: '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',
  sendinblueApiKey: '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',
} as const;

export type Config = typeof config;
