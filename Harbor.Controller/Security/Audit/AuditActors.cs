namespace Harbor.Controller.Security.Audit;

/// <summary>Who can appear in the audit trail.</summary>
internal static class AuditActors
{
    public const string User = "user";
    public const string ApiKey = "api_key";
    public const string Agent = "agent";
    public const string System = "system";
    public const string Anonymous = "anonymous";
}
