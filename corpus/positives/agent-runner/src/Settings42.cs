namespace Acme.Payments;

public static class Settings
{
    public const string ClientSecret = "hxyL9vnJJ1mFc56l93qcV";
}
