namespace Acme.Payments;

public static class Settings
{
    public const string SplunkHecToken = "51104c33-eb3d-4542-baf6-439717a66dd4";
    public const string WandbApiKey = "8282530a402c8fb8ce6713c82f7ae457e4b216d8";
    public const string StripeApiKey = "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";
    public const string ShopifyApiSecret = "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";
}
