using System.Text.Json;

namespace Harbor.Controller.Updates.Preview;

/// <summary>
/// The parts of an image's config (the OCI/Docker config blob's <c>config</c> object) that change how
/// a container created from it behaves: environment defaults, exposed ports, volumes, entrypoint and
/// command, user, working directory, labels and the healthcheck.
/// </summary>
internal sealed record ImageConfig(
    IReadOnlyDictionary<string, string> Env,
    IReadOnlySet<string> ExposedPorts,
    IReadOnlySet<string> Volumes,
    IReadOnlyList<string>? Entrypoint,
    IReadOnlyList<string>? Cmd,
    string? User,
    string? WorkingDir,
    IReadOnlyDictionary<string, string> Labels,
    string? Healthcheck)
{
    /// <summary>Reads a config blob; throws <see cref="FormatException"/> when it is not one.</summary>
    public static ImageConfig Parse(ReadOnlySpan<byte> blob)
    {
        try
        {
            var reader = new Utf8JsonReader(blob);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The image config is not a JSON object.");
            }

            var config = document.RootElement.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in Strings(config, "Env") ?? [])
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                env[equals < 0 ? entry : entry[..equals]] = equals < 0 ? "" : entry[(equals + 1)..];
            }

            return new ImageConfig(
                env,
                Keys(config, "ExposedPorts"),
                Keys(config, "Volumes"),
                Strings(config, "Entrypoint"),
                Strings(config, "Cmd"),
                Text(config, "User"),
                Text(config, "WorkingDir"),
                Map(config, "Labels"),
                config.ValueKind == JsonValueKind.Object && config.TryGetProperty(nameof(Healthcheck), out var health) && health.ValueKind == JsonValueKind.Object
                    ? HealthText(health)
                    : null);
        }
        catch (JsonException e)
        {
            throw new FormatException("The image config is not valid JSON: " + e.Message, e);
        }
    }

    private static string HealthText(JsonElement health)
    {
        var test = Strings(health, "Test") ?? [];
        var parts = new List<string> { string.Join(' ', test) };
        foreach (var name in new[] { "Interval", "Timeout", "StartPeriod", "Retries" })
        {
            if (health.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt64() != 0)
            {
                var number = value.GetInt64();
                parts.Add(name == "Retries" ? $"retries {number}" : $"{name.ToLowerInvariant()} {TimeSpan.FromTicks(number / 100).TotalSeconds:0.###} s");
            }
        }

        return string.Join(", ", parts);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static List<string>? Strings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : null;

    private static HashSet<string> Keys(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? [.. value.EnumerateObject().Select(p => p.Name)]
            : [];

    private static Dictionary<string, string> Map(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
