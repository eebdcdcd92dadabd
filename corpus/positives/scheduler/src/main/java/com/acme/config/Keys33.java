package com.acme.config;

public final class ClientConfig {
    private ClientConfig() {}

    public static final String ARM_CLIENT_SECRET = "Th57Q~le-4D4UksfRsSt-RRaHIb8ZIRR4RFaj-5.";
    public static final String LANGSMITH_API_KEY = "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";
    public static final String GITLAB_TOKEN = "glpat-O9UrmbZkCB1vfnZYhdA9";
    public static final String MINIO_SECRET_KEY = "oFk0+vRgN^uGV_x!xaNAiEngRN1Aa!_mb1_!";
}
