namespace Harbor.Controller.Notifications;

/// <summary>A row of notification_rules.</summary>
internal sealed class RuleRow
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string ChannelId { get; init; } = "";

    public string EventTypes { get; init; } = "[]";

    public string? HostId { get; init; }

    public string? Project { get; init; }

    public long Digest { get; init; }

    public string? TitleTemplate { get; init; }

    public string? BodyTemplate { get; init; }

    public long Enabled { get; init; } = 1;

    /// <summary>From the channel (joined): a disabled channel's rules route nothing.</summary>
    public long ChannelEnabled { get; init; } = 1;

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";
}
