package com.acme.config;

public final class Integrations {
    private Integrations() {}

    public static final String ARTIFACTORY_API_KEY = "AKCpHTlaKryyNgGXDq7ZhiyLvGTYSnJu61JYOR8Vn5M2yTdOsdmO4Qbl8EAiOL8mA7hwEIWDt";
    public static final String DROPBOX_ACCESS_TOKEN = "sl.lsyPUCatqCj4My3V1L9yEtCXoy0hg1iITuQdrW5IiLUcKCDFevKgsqkXPsN6ZPP_QdHZ8v9pKJYhWHXaTgem6yF89hqzaVJRA0wPZNIWBQp7u_doP8i3WdR1ruIUfY0wC6LksnI";
    public static final String TELEGRAM_BOT_TOKEN = "4977830583:AAD2QwGBlrNPZ3ku3QPnwVfbqOZ1UnLEPDm";
}
