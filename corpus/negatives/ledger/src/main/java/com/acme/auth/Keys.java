package com.acme.auth;

public final class Keys {
    public static final String PASSWORD_PARAM = "j_password";
    public static final String API_KEY_PROPERTY = "acme.client.apiKeyProperty";
    public static final String SECRET = "clientSecretPostAuthenticationMethod";
    public static final String TOKEN = "oauth2AccessTokenResponseClient";
}
