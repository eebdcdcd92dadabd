namespace Acme.Payments;

public static class Settings
{
    public const string ShopifyAccessToken = "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";
    public const string JwtSecret = "7c69eaceede6e037dcd0546a0490ed9da6f89c41cf4d79038e34bda11f9c2360";
}
