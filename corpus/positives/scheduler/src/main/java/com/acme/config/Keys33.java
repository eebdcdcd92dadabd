package com.acme.config;

public final class ClientConfig {
    private ClientConfig() {}

    public static final String BITBUCKET_APP_PASSWORD = "ATBBEVuonCYOeVsThaFYSmwQrM5ok6a0FvsS";
    public static final String SUPABASE_SERVICE_ROLE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InN0cHN2bmx1bW50d3htanJ3YnZjIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcxNTAwNDE3OSwiZXhwIjoyMDMwMzY0MTc5fQ.mWHX48NQ3MO_cIUisxoZ-0RSERiwfMS6XYMKVAS3_3y";
    public static final String SHOPIFY_API_SECRET = "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";
}
