namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// One kind of destination: its type name and settings. How a message travels is one of two
/// shapes — <see cref="IHttpNotificationChannel"/> (the sender makes the request) or
/// <see cref="IProtocolNotificationChannel"/> (SMTP, MQTT: the channel speaks its own protocol).
/// Retries, backoff, dead letters and the outbox are the dispatcher's, the same for every channel.
/// </summary>
internal interface INotificationChannel
{
    /// <summary>The type name in the API and the database, e.g. "slack".</summary>
    string Type { get; }

    IReadOnlyList<ChannelField> Fields { get; }

    /// <summary>What is wrong with one setting's value beyond its kind (e.g. an address list), or null.</summary>
    string? FieldProblem(string name, string value) => null;

    /// <summary>Problems that involve several settings (e.g. a password without a user name), by setting name.</summary>
    IEnumerable<KeyValuePair<string, string>> SettingsProblems(IReadOnlyDictionary<string, string> values) => [];
}
