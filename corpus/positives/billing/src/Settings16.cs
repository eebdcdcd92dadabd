namespace Acme.Payments;

public static class Settings
{
    public const string OpenaiApiKey = "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";
    public const string DiscordToken = "M9Enw1fC5tSS2TxEM5OCe9gY2d.PWEhlH.Ny3i5OMA9lRCGgH94QYHSKp8OTjM65l1uVZOyB";
    public const string DatabricksToken = "dapi23a88b08754182243dff28d64c432fd6";
    public const string AwsAccessKeyId = "AKIACNR6NRY4RFZDXHW5";
    public const string AwsSecretAccessKey = "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";
}
