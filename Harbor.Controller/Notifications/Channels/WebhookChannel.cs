using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// A generic webhook: the message as JSON in the Standard Webhooks envelope (type, timestamp, data),
/// signed with HMAC-SHA256 so the receiver can check it came from this controller and is fresh.
/// </summary>
internal sealed class WebhookChannel : IHttpNotificationChannel
{
    public string Type => "webhook";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("url", ChannelFieldKind.Url, Required: true, Secret: true, "Where to POST (kept secret: URLs often carry tokens)."),
        new("secret", ChannelFieldKind.Text, Required: true, Secret: true, "HMAC-SHA256 signing secret: whsec_<base64> or at least 16 characters."),
    ];

    public string? FieldProblem(string name, string value) => name == "secret" ? StandardWebhookSignature.Problem(value) : null;

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now)
    {
        var body = new JsonObject
        {
            ["type"] = message.EventType,
            ["timestamp"] = ChannelJson.Timestamp(message.OccurredAt),
            ["data"] = new JsonObject
            {
                ["id"] = message.Id,
                ["title"] = message.Title,
                ["body"] = message.Body,
                ["severity"] = message.Severity,
                ["hostId"] = message.HostId,
                ["event"] = JsonNode.Parse(message.Data.GetRawText()),
            },
        }.ToJsonString(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var timestamp = now.ToUnixTimeSeconds();
        var request = ChannelJson.Post(settings.Required("url"), body);
        request.Headers.Add("webhook-id", message.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(settings.Required("secret"), message.Id, timestamp, body));
        return request;
    }
}
