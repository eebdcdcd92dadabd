package com.acme.config;

public final class ApiSettings {
    private ApiSettings() {}

    public static final String NOTION_TOKEN = "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";
    public static final String TAVILY_API_KEY = "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";
    public static final String SQUARE_APPLICATION_SECRET = "sq0csp-Sg8HVw84zJTbj7WJ5AeTQPplcQF2Zg1L4z9_Snm2muQ";
    public static final String TFE_TOKEN = "OTPd5eVG0DLeUC.atlasv1.-NOc7MxP2TSzqKVi3eGHjDq288hyyfQC4jQHrWweAJyfA5Aou4b7cg9pqKtXgd53WCw";
}
