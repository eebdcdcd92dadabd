package com.acme.config;

public final class ApiSettings {
    private ApiSettings() {}

    public static final String JWT_SECRET = "DAq+awt5fVVt6tsaj_y+mfJGR";
}
