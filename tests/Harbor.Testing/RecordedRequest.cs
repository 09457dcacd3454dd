using System.Text.Json;

namespace Harbor.Testing;

/// <summary>One request a <see cref="RecordingReceiver"/> received, exactly as it arrived.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
