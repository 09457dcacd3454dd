namespace Harbor.Controller.Registries;

/// <summary>Outcome labels of registry requests (metrics and logs).</summary>
internal static class RegistryOutcome
{
    public const string Ok = "ok";
    public const string NotFound = "not_found";
    public const string Unauthorized = "unauthorized";
    public const string Denied = "denied";
    public const string RateLimited = "rate_limited";
    public const string ServerError = "server_error";
    public const string Unreachable = "unreachable";
    public const string Timeout = "timeout";
    public const string Invalid = "invalid_response";
}
