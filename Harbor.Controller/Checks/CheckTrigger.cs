namespace Harbor.Controller.Checks;

/// <summary>Who started a check run.</summary>
internal static class CheckTrigger
{
    public const string Api = "api";
    public const string Schedule = "schedule";
    public const string Webhook = "webhook";
    public const string Ui = "ui";
}
