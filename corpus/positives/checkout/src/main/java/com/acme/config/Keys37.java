package com.acme.config;

public final class ApiSettings {
    private ApiSettings() {}

    public static final String OPENAI_ADMIN_KEY = "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";
}
