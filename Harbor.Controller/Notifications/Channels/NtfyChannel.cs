using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>ntfy (ntfy.sh or self-hosted): JSON publish to the server root, token or user/password auth.</summary>
internal sealed class NtfyChannel : IHttpNotificationChannel
{
    public const string DefaultServer = "https://ntfy.sh";

    public string Type => "ntfy";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("url", ChannelFieldKind.Url, Required: false, Secret: false, "The server (default https://ntfy.sh)."),
        new("topic", ChannelFieldKind.Text, Required: true, Secret: false, "The topic to publish to."),
        new("token", ChannelFieldKind.Text, Required: false, Secret: true, "An access token (tk_…), sent as Bearer."),
        new("username", ChannelFieldKind.Text, Required: false, Secret: false, "For Basic auth instead of a token."),
        new("password", ChannelFieldKind.Text, Required: false, Secret: true, "For Basic auth instead of a token."),
        new("priority", ChannelFieldKind.Integer, Required: false, Secret: false, "1 (min) to 5 (max); default by severity (errors 4, others 3).", 1, 5),
    ];

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now)
    {
        var request = ChannelJson.Post(settings.BaseUrl("url", DefaultServer) + "/", new JsonObject
        {
            ["topic"] = settings.Required("topic"),
            ["title"] = message.Title,
            ["message"] = message.Body.Length == 0 ? message.Title : message.Body,
            ["priority"] = settings.Integer("priority") ?? (message.Severity == "error" ? 4 : 3),
            ["tags"] = new JsonArray("harbor", message.Severity),
        });
        if (settings.Get("token") is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (settings.Get("username") is { } username)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{settings.Get("password")}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        return request;
    }
}
