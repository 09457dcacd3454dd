namespace Harbor.Controller.Checks;

/// <summary>Body of <c>POST /api/v1/checks</c>: empty for everything, a host, or a host and container (id, name or id prefix).</summary>
internal sealed record StartCheckRequest(string? HostId, string? ContainerId);

internal sealed record CheckScopeResponse(string Kind, string? HostId, string? ContainerId, IReadOnlyList<string>? Repositories, IReadOnlyList<CheckTarget>? Containers = null);

internal sealed record CheckProgressResponse(int Containers, int References, int ReferencesDone);

internal sealed record CheckResultCounts(int UpToDate, int UpdateAvailable, int Pinned, int Local, int Error);

/// <summary>A check run: queued, running (with live progress), completed or failed.</summary>
internal sealed record CheckRunResponse(
    string Id,
    string TriggeredBy,
    CheckScopeResponse Scope,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    CheckProgressResponse Progress,
    CheckResultCounts Results,
    int RegistryRequests,
    string? Error);

/// <summary>What a webhook delivery started.</summary>
internal sealed record WebhookResponse(string? CheckId, IReadOnlyList<string> Repositories, string Message);

/// <summary>
/// <c>GET /api/v1/checks/schedule</c>: when the scheduled checks run next. <c>NextEverythingAt</c> checks every
/// container without its own schedule, every <c>IntervalSeconds</c>; <c>NextOwnScheduleAt</c> is the earliest
/// container on its own <c>harbor.check-schedule</c>; <c>NextAt</c> the sooner of the two (null: nothing planned).
/// </summary>
internal sealed record CheckScheduleResponse(bool Enabled, long IntervalSeconds, DateTimeOffset? NextEverythingAt, DateTimeOffset? NextOwnScheduleAt, DateTimeOffset? NextAt);
