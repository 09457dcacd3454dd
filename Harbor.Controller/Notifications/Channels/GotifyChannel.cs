using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>Gotify: POST /message with the application token in X-Gotify-Key (not in the URL, so it stays out of logs).</summary>
internal sealed class GotifyChannel : IHttpNotificationChannel
{
    public string Type => "gotify";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("url", ChannelFieldKind.Url, Required: true, Secret: false, "The Gotify server, e.g. https://gotify.example.com."),
        new("token", ChannelFieldKind.Text, Required: true, Secret: true, "The application token."),
        new("priority", ChannelFieldKind.Integer, Required: false, Secret: false, "0 to 10; default by severity (errors 8, others 5).", 0, 10),
    ];

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now)
    {
        var request = ChannelJson.Post(settings.BaseUrl("url", "") + "/message", new JsonObject
        {
            ["title"] = message.Title,
            ["message"] = message.Body.Length == 0 ? message.Title : message.Body,
            ["priority"] = settings.Integer("priority") ?? (message.Severity == "error" ? 8 : 5),
            ["extras"] = new JsonObject
            {
                ["client::display"] = new JsonObject { ["contentType"] = "text/plain" },
            },
        });
        request.Headers.Add("X-Gotify-Key", settings.Required("token"));
        return request;
    }
}
