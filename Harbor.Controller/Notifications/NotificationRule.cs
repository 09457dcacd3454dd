using Harbor.Controller.Events;

namespace Harbor.Controller.Notifications;

/// <summary>A rule as the router applies it: which events (by type pattern, host, Compose project) go to which channel, and how they read.</summary>
internal sealed record NotificationRule(
    string Id,
    string Name,
    string ChannelId,
    IReadOnlyList<string> EventTypes,
    string? HostId,
    string? Project,
    bool Digest,
    string? TitleTemplate,
    string? BodyTemplate,
    bool Enabled,
    bool ChannelEnabled = true)
{
    /// <summary>Routes events: the rule and its channel are both enabled.</summary>
    public bool Active => Enabled && ChannelEnabled;

    public bool MatchesType(string type) => EventTypes.Any(p => p == "*" || EventsApi.Matches(p, type));

    public bool Matches(NotificationEvent e) =>
        Active
        && MatchesType(e.Type)
        && (HostId is null || string.Equals(HostId, e.HostId, StringComparison.Ordinal))
        && (Project is null || string.Equals(Project, e.Project, StringComparison.Ordinal));
}
