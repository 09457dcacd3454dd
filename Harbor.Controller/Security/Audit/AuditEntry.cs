namespace Harbor.Controller.Security.Audit;

/// <summary>
/// One audited action: who (user, API key, agent, system or anonymous, with id and name), what,
/// on which target, how it ended, and from which address. Never carries a secret.
/// </summary>
internal sealed record AuditEntry(
    string ActorKind,
    string? ActorId,
    string? ActorName,
    string Action,
    string? Target,
    bool Succeeded,
    int? StatusCode,
    string? RemoteIp,
    string? Detail = null);
