namespace Harbor.Controller.Security.Audit;

internal sealed record AuditEventResponse(
    long Id,
    DateTimeOffset At,
    string ActorKind,
    string? ActorId,
    string? ActorName,
    string Action,
    string? Target,
    string Outcome,
    int? StatusCode,
    string? RemoteIp,
    string? Detail);
