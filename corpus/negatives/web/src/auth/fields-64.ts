export enum AuthField {
  Password = 'password',
  PasswordConfirmation = 'passwordConfirmation',
  ResetToken = 'resetToken',
}

export const apiKeyHeaderName = 'x-api-key';
export const secretKey = 'STRIPE_SECRET_KEY_NAME';
export const tokenStorageKey = 'auth.refreshToken.v2';
export const passwordResetRoute = '/account/password/reset/:resetToken';
