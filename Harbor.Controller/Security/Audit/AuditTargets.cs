namespace Harbor.Controller.Security.Audit;

/// <summary>
/// The audit row's target for changes made both over the API and from a page, written the way the
/// audit middleware writes route values (<c>key=value</c>, space-separated), so the log reads the same
/// whichever way the change was made.
/// </summary>
internal static class AuditTargets
{
    /// <summary>An update or rollback of one container (the routes' <c>{hostId}/{container}</c>).</summary>
    public static string Container(string hostId, string container) => $"hostId={hostId} container={container}";

    /// <summary>A check run's scope (the request body's <c>hostId</c>/<c>containerId</c>); null for a check of everything.</summary>
    public static string? Check(string? hostId, string? containerId) =>
        hostId is null ? null : containerId is null ? $"hostId={hostId}" : $"hostId={hostId} containerId={containerId}";

    /// <summary>A thing with an id (a rule, an approval): the routes' <c>{id}</c>.</summary>
    public static string Id(object id) => FormattableString.Invariant($"id={id}");

    /// <summary>An enrolled agent (the routes' <c>{agentId}</c>).</summary>
    public static string Agent(string agentId) => $"agentId={agentId}";

    /// <summary>An enrollment token (the routes' <c>{tokenId}</c>).</summary>
    public static string EnrollmentToken(string tokenId) => $"tokenId={tokenId}";
}
