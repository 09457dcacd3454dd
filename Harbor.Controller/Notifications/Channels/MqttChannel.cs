using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// MQTT: each notification is a JSON message (QoS 1, not retained) on &lt;topicPrefix&gt;/events/&lt;event type&gt;,
/// delivered once the broker acknowledged it (PUBACK). With discovery on, the Home Assistant
/// publisher also keeps one update entity per container on the same broker, and with allowInstall its
/// Install button starts updates (see HomeAssistant/).
/// </summary>
internal sealed class MqttChannel : IProtocolNotificationChannel
{
    public const string TypeName = "mqtt";

    public string Type => TypeName;

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("host", ChannelFieldKind.Text, Required: true, Secret: false, "The broker's host name or address."),
        new("port", ChannelFieldKind.Integer, Required: false, Secret: false, "The broker's port (default 1883, or 8883 with tls).", 1, 65535),
        new("security", ChannelFieldKind.Choice, Required: false, Secret: false, "none (default) or tls.", Choices: [MqttConnection.None, MqttConnection.Tls]),
        new("username", ChannelFieldKind.Text, Required: false, Secret: false, "Log in with this user name (anonymous when empty)."),
        new("password", ChannelFieldKind.Text, Required: false, Secret: true, "The login's password."),
        new("topicPrefix", ChannelFieldKind.Text, Required: false, Secret: false, "Harbor's topics start with this (default harbor): <prefix>/events/<type>, <prefix>/status, <prefix>/<host>/<container>/state."),
        new("discovery", ChannelFieldKind.Boolean, Required: false, Secret: false, "Publish Home Assistant discovery: one update entity per container (default true)."),
        new("allowInstall", ChannelFieldKind.Boolean, Required: false, Secret: false,
            "Offer Home Assistant's Install button (default false): pressing it updates the container through the same checks as the API, " +
            "as the actor mqtt:<channel name>, which may update every container (or only those installHostGroups names); anyone who can publish to <prefix>/<host>/<container>/install can start updates, so limit that topic with the broker's ACL."),
        new("installHostGroups", ChannelFieldKind.Text, Required: false, Secret: false,
            "Comma-separated host groups whose containers the Install button may update, like a user's host-group limit (default: every host). " +
            "Containers on other hosts get no Install button, and a press for one is refused."),
        new("discoveryPrefix", ChannelFieldKind.Text, Required: false, Secret: false, "Home Assistant's discovery prefix (default homeassistant)."),
        .. ServerTrust.Fields,
    ];

    public string? FieldProblem(string name, string value) => name switch
    {
        "host" => Uri.CheckHostName(value) == UriHostNameType.Unknown ? "'host' must be a host name or an IP address (no scheme or port)." : null,
        "installHostGroups" => Split(value).Count == 0 || value.Split(',').Any(g => g.Trim().Length == 0)
            ? "'installHostGroups' must list host group names separated by commas, e.g. \"home,lab\"."
            : null,
        "topicPrefix" or "discoveryPrefix" => value.IndexOfAny(['+', '#', '\0']) >= 0 || value.StartsWith('/') || value.Contains("//", StringComparison.Ordinal) || value.StartsWith('$')
            ? $"'{name}' must be a topic without wildcards (+, #), empty levels or a leading / or $."
            : null,
        _ => ServerTrust.FieldProblem(name, value),
    };

    public IEnumerable<KeyValuePair<string, string>> SettingsProblems(IReadOnlyDictionary<string, string> values)
    {
        if (values.ContainsKey("password") && !values.ContainsKey("username"))
        {
            yield return new("username", "A password needs a 'username'.");
        }

        foreach (var problem in ServerTrust.SettingsProblems(values))
        {
            yield return problem;
        }
    }

    public static bool DiscoveryEnabled(ChannelSettings settings) => settings.Get("discovery") != "false";

    /// <summary>Home Assistant's Install button may start updates (explicit opt-in per channel).</summary>
    public static bool InstallAllowed(ChannelSettings settings) => settings.Get("allowInstall") == "true";

    /// <summary>The host groups Install may update on; empty: every host.</summary>
    public static IReadOnlyList<string> InstallHostGroups(ChannelSettings settings) => Split(settings.Get("installHostGroups"));

    /// <summary>Whether Install may update a container on a host of <paramref name="hostGroup"/> (one rule for the button and the press).</summary>
    public static bool InstallsOn(IReadOnlyList<string> hostGroups, string? hostGroup) =>
        hostGroups.Count == 0 || (hostGroup is not null && hostGroups.Contains(hostGroup, StringComparer.Ordinal));

    private static List<string> Split(string? list) =>
        [.. (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    public static string DiscoveryPrefix(ChannelSettings settings) => (settings.Get("discoveryPrefix") ?? "homeassistant").TrimEnd('/');

    public async Task<DeliveryResult> SendAsync(ChannelSettings settings, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var trust = ServerTrust.From(settings);
        // A client id of its own: the discovery publisher holds the channel's main session (and its last will).
        var options = MqttConnection.Options(settings, $"harbor-events-{Guid.NewGuid():N}"[..28], timeout, trust, withWill: false);
        using var client = new MqttClientFactory().CreateMqttClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (await MqttConnection.ConnectAsync(client, options, settings, trust, deadline.Token, cancellationToken) is { } refused)
            {
                return refused;
            }

            var result = await client.PublishAsync(
                new MqttApplicationMessageBuilder()
                    .WithTopic($"{MqttConnection.TopicPrefix(settings)}/events/{message.EventType}")
                    .WithPayload(Payload(message))
                    .WithContentType("application/json")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(),
                deadline.Token);
            await client.DisconnectAsync(cancellationToken: CancellationToken.None);
            // No subscriber yet is still a delivery: the broker took the message.
            return result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers
                ? new DeliveryResult(true, null, false, null, null)
                : new DeliveryResult(false, null, result.ReasonCode is MqttClientPublishReasonCode.UnspecifiedError or MqttClientPublishReasonCode.ImplementationSpecificError or MqttClientPublishReasonCode.QuotaExceeded,
                    null, $"The MQTT broker refused the message: {result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
        catch (Exception e) when (MqttConnection.IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            return MqttConnection.Failure(e, settings, trust);
        }
    }

    /// <summary>The message as JSON: id (the same on every retry: deduplicate on it), type, title, body, severity, host, time and the event's payload.</summary>
    internal static string Payload(NotificationMessage message) => new JsonObject
    {
        ["id"] = message.Id,
        ["type"] = message.EventType,
        ["title"] = message.Title,
        ["body"] = message.Body,
        ["severity"] = message.Severity,
        ["hostId"] = message.HostId,
        ["occurredAt"] = ChannelJson.Timestamp(message.OccurredAt),
        ["event"] = JsonNode.Parse(message.Data.GetRawText()),
    }.ToJsonString(JsonSerializerOptions.Web);
}
