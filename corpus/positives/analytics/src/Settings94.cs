namespace Acme.Payments;

public static class Settings
{
    public const string DiscordBotToken = "MU_CxJp9ZDQJE-SE5EmqKMWPUJ.Zi9L5g.C_tN-1eSR9ufYHvYHYIppkrZDXw9upP70LcOsP";
    public const string DatadogApiKey = "1dd7042ebd1621b6a3f058e24e2e1941";
    public const string SquareAccessToken = "EAAAwJCePirzLDrzsYZfaHdZngAJNMDWu1vioiLr0GyVpwLl2Nmu85PdCGNbaIio";
    public const string MistralApiKey = "XVHUag3FyKNBC9kYcCSfiQe6AyZU73k5";
}
