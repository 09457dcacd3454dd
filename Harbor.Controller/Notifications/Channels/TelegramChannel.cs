using System.Text.Json.Nodes;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>Telegram Bot API sendMessage. The API base is a setting so a local Bot API server (or a test listener) can stand in.</summary>
internal sealed class TelegramChannel : IHttpNotificationChannel
{
    public const string DefaultApi = "https://api.telegram.org";

    public string Type => "telegram";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("token", ChannelFieldKind.Text, Required: true, Secret: true, "The bot token from @BotFather (123456:ABC…)."),
        new("chatId", ChannelFieldKind.Text, Required: true, Secret: false, "The chat: a numeric id or @channelname."),
        new("apiUrl", ChannelFieldKind.Url, Required: false, Secret: false, "The Bot API server (default https://api.telegram.org)."),
    ];

    public HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now) =>
        ChannelJson.Post($"{settings.BaseUrl("apiUrl", DefaultApi)}/bot{settings.Required("token")}/sendMessage", new JsonObject
        {
            ["chat_id"] = settings.Required("chatId"),
            // Plain text: no parse_mode, so container names with _ or * cannot break the message.
            ["text"] = ChannelJson.Truncate(ChannelJson.PlainText(message), 4096),
            ["disable_web_page_preview"] = true,
        });
}
