package com.acme.config;

public final class ClientConfig {
    private ClientConfig() {}

    public static final String OKTA_CLIENT_TOKEN = "00oCH8yPEETQIkAbFMn8io53HfhdozudPF9hmEOEa9";
    public static final String GOOGLE_API_KEY = "AIzayOdATTY8w1h31sZ9beMFRFxeccrpMO-Un0e";
    public static final String GRAFANA_CLOUD_TOKEN = "glc_eyJvIjoiODI0MzQ3IiwibiI6InN0YWNrLTEzNjk5Ni1obS1yZWFkIiwiayI6InpId1NCVHZwaktrTU9rN29CM1liWk15cyIsIm0iOnsiciI6InByb2QtZXUtd2VzdC0yIn19";
}
