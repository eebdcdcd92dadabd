namespace Acme.Payments;

public static class Settings
{
    public const string BraintreeAccessToken = "access_token$production$j55fa45xrev27ija$47f984be16e4dcdfd91558dc1dc2c82d";
    public const string DatadogApiKey = "09ba8b87706065803ecb053fd510404a";
    public const string AwsAccessKeyId = "AKIACNR6NRY4RFZDXHW5";
    public const string AwsSecretAccessKey = "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";
    public const string AzureDevopsPat = "zfon2kcgzzdbnip3qvkwcc2ouutaamuhbfi2y3fplkjb7hqddw4a";
}
