package com.acme.config;

public final class ClientConfig {
    private ClientConfig() {}

    public static final String PERPLEXITY_API_KEY = "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";
}
