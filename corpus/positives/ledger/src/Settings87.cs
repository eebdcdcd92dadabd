namespace Acme.Payments;

public static class Settings
{
    public const string FireworksApiKey = "fw_ATGFs41M6RSLizk2FzyV0o9r";
    public const string PulumiAccessToken = "pul-fc4a213fef0c6b304171f06f9d215ae356c18592";
    public const string SentryAuthToken = "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";
}
