namespace Harbor.Controller.Policy;

/// <summary>A rule as the API reads and writes it.</summary>
internal sealed record PolicyRuleRequest(string? Name, string? Scope, string? ScopeValue, int? Priority, Dictionary<string, string>? Settings);

internal sealed record PolicyRuleResponse(long Id, string Name, string Scope, string? ScopeValue, int Priority, IReadOnlyDictionary<string, string> Settings, DateTimeOffset CreatedAt);

internal sealed record RulePreviewResponse(int Matched, IReadOnlyList<RulePreviewMatch> Containers);

internal sealed record RulePreviewMatch(string HostId, string HostName, string ContainerId, string Name, string Image);

internal sealed record HostGroupRequest(string? Group);

/// <summary>The effective policy of one container with, per field, where it came from.</summary>
internal sealed record ContainerPolicyResponse(
    string HostId,
    string ContainerId,
    string Name,
    bool Enabled,
    string Mode,
    string Schedule,
    DateTimeOffset? NextScheduledAt,
    WindowResponse? Window,
    string Track,
    bool TrackPrerelease,
    IReadOnlyList<string> DependsOn,
    string? Group,
    string MinAge,
    IReadOnlyList<PolicySetting> Explain,
    IReadOnlyList<PolicyProblem> Problems,
    string Strategy = "recreate",
    string? CheckSchedule = null,
    DateTimeOffset? NextCheckAt = null);

internal sealed record WindowResponse(string Window, bool Open, DateTimeOffset? ClosesAt, DateTimeOffset? OpensAt);
