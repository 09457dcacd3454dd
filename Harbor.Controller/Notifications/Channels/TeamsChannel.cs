using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>Microsoft Teams through a Workflows ("Post to a channel when a webhook request is received") URL: one Adaptive Card.</summary>
internal sealed class TeamsChannel : IHttpNotificationChannel
{
    public string Type => "teams";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("url", ChannelFieldKind.Url, Required: true, Secret: true, "The workflow's HTTP POST URL (it carries a signature)."),
    ];

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now)
    {
        var facts = new JsonArray(
            new JsonObject { ["title"] = "Event", ["value"] = message.EventType },
            new JsonObject { ["title"] = "At", ["value"] = ChannelJson.Timestamp(message.OccurredAt) });
        if (message.HostId is { } host)
        {
            facts.Add(new JsonObject { ["title"] = "Host", ["value"] = host });
        }

        return ChannelJson.Post(settings.Required("url"), new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = new JsonArray(
                        new JsonObject
                        {
                            ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true,
                            ["color"] = message.Severity switch { "error" => "Attention", "warning" => "Warning", "success" => "Good", _ => "Default" },
                        },
                        new JsonObject { ["type"] = "TextBlock", ["text"] = message.Body, ["wrap"] = true },
                        new JsonObject { ["type"] = "FactSet", ["facts"] = facts }),
                },
            }),
        });
    }
}
