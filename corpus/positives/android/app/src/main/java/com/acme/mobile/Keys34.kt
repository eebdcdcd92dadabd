package com.acme.mobile

object Keys {
    const val DB_PASSWORD = "44de874a2703075b0397d0159bfac33fe7171918"
    const val DATADOG_APP_KEY = "37d81f72ebaa811ce4b28ca3da0fa3ba9d20120b"
    const val DISCORD_TOKEN = "NaQbUU_zRQGFf666EOUenWsCA6.sflYZV.iSZs9j2_3YCmVpVhrG8CuNl8nMhGNGo9-irl1Y"
    const val CARGO_REGISTRY_TOKEN = "cioBQLEXlcOVxCr8B4PmRZYS6JCRw6LMc8M"
}
