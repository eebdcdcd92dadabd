namespace Acme.Payments;

public static class Settings
{
    public const string DoApiToken = "dop_v1_e208bd9c1eb6b6f119c328a5e5bc120ab8fbbe537336507b7ccefae3c8cba5b4";
    public const string OpenrouterApiKey = "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";
}
