package com.acme.config;

public final class Integrations {
    private Integrations() {}

    public static final String NOTION_TOKEN = "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";
    public static final String DOPPLER_TOKEN = "dp.pt.JkWH502QiQAwQCzUR1Vcl5E5QfsGL6qRbqYLvvjHi5P";
    public static final String SQUARE_APPLICATION_SECRET = "sq0csp-y3azopvzK6opYyuyhfVPGQhDREW8uvKpG8mnSmtn393";
}
