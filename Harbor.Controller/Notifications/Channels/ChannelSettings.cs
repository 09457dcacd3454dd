using System.Globalization;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>A channel's settings, secrets included, decrypted for one delivery. Never logged.</summary>
internal sealed class ChannelSettings(IReadOnlyDictionary<string, string> values)
{
    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public string? Get(string name) => Values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string Required(string name) => Get(name) ?? throw new InvalidOperationException($"The channel setting '{name}' is missing.");

    public int? Integer(string name) => Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>A base URL with any trailing slash removed, so paths can be appended.</summary>
    public string BaseUrl(string name, string fallback) => (Get(name) ?? fallback).TrimEnd('/');
}
