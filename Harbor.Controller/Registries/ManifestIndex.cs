using System.Text.Json;

namespace Harbor.Controller.Registries;

/// <summary>
/// An OCI image index or Docker manifest list, reduced to what detection needs: which manifest
/// serves which platform. Attestation manifests (BuildKit provenance/SBOM, platform unknown/unknown)
/// are kept but marked so they are never chosen.
/// </summary>
internal sealed class ManifestIndex
{
    private const string ReferenceTypeAnnotation = "vnd.docker.reference.type";

    private ManifestIndex(IReadOnlyList<ManifestIndexEntry> manifests) => Manifests = manifests;

    public IReadOnlyList<ManifestIndexEntry> Manifests { get; }

    /// <summary>Parses an index body; throws <see cref="FormatException"/> when it is not one.</summary>
    public static ManifestIndex Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (!document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The index has no \"manifests\" array.");
            }

            var entries = new List<ManifestIndexEntry>();
            foreach (var item in manifests.EnumerateArray())
            {
                var digest = item.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (digest is null || !ContentDigest.IsValid(digest))
                {
                    throw new FormatException("An index entry has no valid digest.");
                }

                var mediaType = item.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                ImagePlatform? platform = null;
                if (item.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    platform = ImagePlatform.Create(String(p, "os"), String(p, "architecture"), String(p, "variant"));
                }

                var attestation = platform is { Os: "unknown" } || platform is { Architecture: "unknown" }
                    || (item.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object
                        && String(a, ReferenceTypeAnnotation) == "attestation-manifest");
                entries.Add(new ManifestIndexEntry(digest, mediaType, platform, attestation));
            }

            return new ManifestIndex(entries);
        }
        catch (JsonException e)
        {
            throw new FormatException("The index is not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>A quick look for registries that serve an index with a generic content type.</summary>
    public static bool LooksLikeIndex(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The manifest the engine would pull on <paramref name="platform"/>: exact match first, then compatible variants; never an attestation.</summary>
    public ManifestIndexEntry? Resolve(ImagePlatform platform)
    {
        var candidates = Manifests.Where(m => !m.IsAttestation && m.Platform is not null).ToList();
        foreach (var wanted in platform.CompatibleVariants())
        {
            var match = candidates.FirstOrDefault(m => m.Platform == wanted);
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
