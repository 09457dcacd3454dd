using System.Text;
using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>Shared request building for JSON channels.</summary>
internal static class ChannelJson
{
    public static HttpRequestMessage Post(string url, JsonNode body) => Post(url, body.ToJsonString());

    public static HttpRequestMessage Post(string url, string json) =>
        new(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Title and body as one plain-text message, for channels with a single text field.</summary>
    public static string PlainText(NotificationMessage message) =>
        message.Body.Length == 0 ? message.Title : $"{message.Title}\n\n{message.Body}";

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
