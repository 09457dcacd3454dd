namespace Harbor.Controller.Notifications;

/// <summary>A row of notification_channels.</summary>
internal sealed class ChannelRow
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string Type { get; init; } = "";

    public string Settings { get; init; } = "{}";

    public string ProtectedSecrets { get; init; } = "";

    public long Enabled { get; init; } = 1;

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";
}
