package com.acme.config;

public final class ApiSettings {
    private ApiSettings() {}

    public static final String GEM_HOST_API_KEY = "rubygems_33561d268537fa78de4e76c856fd2c24ba133334ddcdb3dd";
}
