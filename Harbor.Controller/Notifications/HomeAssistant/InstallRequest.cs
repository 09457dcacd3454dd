namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>
/// A message on an MQTT channel's command topic (&lt;prefix&gt;/&lt;host&gt;/&lt;container&gt;/install), as received:
/// which channel, whether that channel allows installing and on which host groups (empty: every host),
/// the container the topic names (null when the topic is not one of the published entities), the
/// payload and the broker's retain flag.
/// </summary>
internal sealed record InstallRequest(
    string ChannelId, string ChannelName, bool Allowed, IReadOnlyList<string> HostGroups, string Topic, string? HostId, string? ContainerName, string Payload, bool Retained)
{
    /// <summary>The audit actor and the jobs' requested_by: mqtt:&lt;channel name&gt;.</summary>
    public string Actor => "mqtt:" + ChannelName;
}
