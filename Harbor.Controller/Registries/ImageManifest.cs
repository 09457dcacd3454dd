using System.Text.Json;

namespace Harbor.Controller.Registries;

/// <summary>A single-platform image manifest, reduced to its config digest (which is the image id in the Docker engine's classic store).</summary>
internal static class ImageManifest
{
    /// <summary>The <c>config.digest</c> of an image manifest; throws <see cref="FormatException"/> when there is none.</summary>
    public static string ConfigDigest(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
                && config.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String
                && digest.GetString() is { } text && ContentDigest.IsValid(text)
                    ? text
                    : throw new FormatException("The manifest has no config digest.");
        }
        catch (JsonException e)
        {
            throw new FormatException("The manifest is not valid JSON: " + e.Message, e);
        }
    }
}
