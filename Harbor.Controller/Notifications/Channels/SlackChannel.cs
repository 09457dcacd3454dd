using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>A Slack incoming webhook: a header block, the body as mrkdwn and a context line; <c>text</c> is the fallback for notifications.</summary>
internal sealed class SlackChannel : IHttpNotificationChannel
{
    public string Type => "slack";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("url", ChannelFieldKind.Url, Required: true, Secret: true, "The incoming webhook URL (https://hooks.slack.com/services/…)."),
    ];

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now) =>
        ChannelJson.Post(settings.Required("url"), new JsonObject
        {
            ["text"] = message.Title,
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "header",
                    // Slack caps header text at 150 characters.
                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = ChannelJson.Truncate(message.Title, 150) },
                },
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = ChannelJson.Truncate(message.Body.Length == 0 ? message.Title : message.Body, 3000) },
                },
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"Harbor · {message.EventType}" }),
                }),
        });
}
