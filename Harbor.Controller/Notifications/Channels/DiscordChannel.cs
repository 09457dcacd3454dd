using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>A Discord webhook: one embed coloured by severity.</summary>
internal sealed class DiscordChannel : IHttpNotificationChannel
{
    public string Type => "discord";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("url", ChannelFieldKind.Url, Required: true, Secret: true, "The webhook URL (https://discord.com/api/webhooks/<id>/<token>)."),
        new("username", ChannelFieldKind.Text, Required: false, Secret: false, "Overrides the webhook's display name."),
    ];

    public static int Colour(string severity) => severity switch
    {
        "error" => 0xD93F0B,
        "warning" => 0xFBCA04,
        "success" => 0x2EA44F,
        _ => 0x0366D6,
    };

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now)
    {
        var body = new JsonObject
        {
            ["embeds"] = new JsonArray(new JsonObject
            {
                ["title"] = ChannelJson.Truncate(message.Title, 256),
                ["description"] = ChannelJson.Truncate(message.Body, 4096),
                ["color"] = Colour(message.Severity),
                ["timestamp"] = ChannelJson.Timestamp(message.OccurredAt),
                ["footer"] = new JsonObject { ["text"] = $"Harbor · {message.EventType}" },
            }),
        };
        if (settings.Get("username") is { } username)
        {
            body["username"] = username;
        }

        return ChannelJson.Post(settings.Required("url"), body);
    }
}
