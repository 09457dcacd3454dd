using System.Text.Json;

namespace Harbor.Controller.Notifications;

/// <summary>Creates or replaces a channel. Settings hold secrets too; on PUT a secret left out (or sent back masked) keeps its stored value.</summary>
internal sealed record ChannelRequest(string? Name, string? Type, Dictionary<string, string?>? Settings, bool? Enabled);

/// <summary>A channel as the API shows it: secret settings are masked.</summary>
internal sealed record ChannelResponse(string Id, string Name, string Type, bool Enabled, IReadOnlyDictionary<string, string> Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A Shoutrrr URL to turn into a channel.</summary>
internal sealed record ImportChannelRequest(string? Url, string? Name);

/// <summary>The created channel; a generic webhook also gets a signing secret, shown this once.</summary>
internal sealed record ImportChannelResponse(ChannelResponse Channel, string? SigningSecret);

internal sealed record ChannelTypeResponse(string Type, IReadOnlyList<ChannelFieldResponse> Fields);

internal sealed record ChannelFieldResponse(string Name, string Kind, bool Required, bool Secret, string Description, IReadOnlyList<string>? Choices);

/// <summary>What a test message came to.</summary>
internal sealed record ChannelTestResponse(bool Delivered, int? StatusCode, string? Error);

/// <summary>Which events go to which channel. Event types are names or "prefix.*" patterns ("*" is every event).</summary>
internal sealed record RuleRequest(
    string? Name,
    string? ChannelId,
    List<string>? EventTypes,
    string? HostId,
    string? Project,
    bool? Digest,
    string? TitleTemplate,
    string? BodyTemplate,
    bool? Enabled);

internal sealed record RuleResponse(
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
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>Renders templates against an example event (data is the event's payload) without sending anything.</summary>
internal sealed record PreviewRequest(string? EventType, JsonElement? Data, string? HostId, string? TitleTemplate, string? BodyTemplate);

internal sealed record PreviewResponse(string Title, string Body, string DefaultTitleTemplate, string DefaultBodyTemplate);

/// <summary>An outbox message (dead letters and deliveries).</summary>
internal sealed record OutboxMessageResponse(
    string Id,
    string ChannelId,
    string? RuleId,
    string EventType,
    string? HostId,
    string Title,
    string Body,
    string Status,
    long Attempts,
    string? LastError,
    DateTimeOffset OccurredAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt);
