namespace Acme.Payments;

public static class Settings
{
    public const string DatadogAppKey = "2ad6f2c0ab2286daba86b4d8807a7ba659870126";
    public const string DatabricksToken = "dapibacda36c86591a603e8c9a15324bd029";
}
