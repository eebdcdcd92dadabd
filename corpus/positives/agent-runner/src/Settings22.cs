namespace Acme.Payments;

public static class Settings
{
    public const string OpenaiApiKey = "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";
    public const string LinearApiKey = "lin_api_OoEj0gG09hZnh5aggof0ikM8jzOTLoPGWA0hG9nz";
}
