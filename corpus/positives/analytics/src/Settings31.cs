namespace Acme.Payments;

public static class Settings
{
    public const string AdminPassword = "kU+KGdVCCJIkNwAYbDm8dyt/34H2TtU7";
    public const string NewRelicApiKey = "NRAK-7PLTRDSBCWBBS8VKB5ZA2ES64ZY";
    public const string MapboxSecretToken = "sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IjRrdnJ1eThhZGkwbGQ1cHQwYnczZjgwZXEifQ.B-D5eGjZxJIZAHbU_sOXxA";
    public const string CircleToken = "CCIPAT_5IYdmaLecaIeWQzq7Yeo3a_2c252b1b454416b83104ff20ffb82ae44047f984";
}
