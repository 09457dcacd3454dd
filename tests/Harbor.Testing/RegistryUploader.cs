using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Harbor.Testing;

/// <summary>
/// Pushes blobs and manifests through a registry's Distribution API, the way a build tool does:
/// tiny but real single-platform images, and image indexes (multi-arch, with attestation entries)
/// built from them. No Docker engine involved, so it works for any auth mode and is fast.
/// </summary>
public sealed class RegistryUploader(Uri registry, Func<string, string?> authorization)
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Uploads a tiny image (one layer, a config unique to <paramref name="seed"/>) for a platform and tags it. Returns the manifest digest.</summary>
    public async Task<UploadedImage> PushImageAsync(string repository, string? tag, string seed, string architecture = "amd64", string? variant = null)
    {
        var layer = Encoding.UTF8.GetBytes("harbor test layer " + seed);
        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["architecture"] = architecture,
            ["variant"] = variant,
            ["os"] = "linux",
            ["config"] = new { Env = new[] { "SEED=" + seed } },
            ["rootfs"] = new { type = "layers", diff_ids = new[] { Digest(layer) } },
        });
        await PushBlobAsync(repository, layer);
        await PushBlobAsync(repository, config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = DockerManifest,
            config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = config.Length, digest = Digest(config) },
            layers = new[] { new { mediaType = "application/vnd.docker.image.rootfs.diff.tar", size = layer.Length, digest = Digest(layer) } },
        });
        var digest = await PutManifestAsync(repository, tag ?? Digest(manifest), DockerManifest, manifest);
        return new UploadedImage(digest, Digest(config), manifest.Length, architecture, variant);
    }

    /// <summary>Tags an OCI index of the given images, plus a BuildKit-style attestation entry for the first. Returns the index digest.</summary>
    public async Task<string> PushIndexAsync(string repository, string tag, params UploadedImage[] images)
    {
        var attestationConfig = Encoding.UTF8.GetBytes("{}");
        await PushBlobAsync(repository, attestationConfig);
        var attestation = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciManifest,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", size = attestationConfig.Length, digest = Digest(attestationConfig) },
            layers = Array.Empty<object>(),
        });
        var attestationDigest = await PutManifestAsync(repository, Digest(attestation), OciManifest, attestation);

        var entries = images.Select(i => (object)new
        {
            mediaType = DockerManifest,
            size = i.Size,
            digest = i.Digest,
            platform = i.Variant is null ? (object)new { architecture = i.Architecture, os = "linux" } : new { architecture = i.Architecture, os = "linux", variant = i.Variant },
        }).ToList();
        entries.Add(new
        {
            mediaType = OciManifest,
            size = attestation.Length,
            digest = attestationDigest,
            platform = new { architecture = "unknown", os = "unknown" },
            annotations = new Dictionary<string, string> { ["vnd.docker.reference.type"] = "attestation-manifest", ["vnd.docker.reference.digest"] = images[0].Digest },
        });
        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = OciIndex, manifests = entries });
        return await PutManifestAsync(repository, tag, OciIndex, index);
    }

    /// <summary>Deletes a manifest by digest: every tag pointing to it stops resolving.</summary>
    public async Task DeleteManifestAsync(string repository, string digest)
    {
        using var request = Request(HttpMethod.Delete, $"/v2/{repository}/manifests/{digest}", $"repository:{repository}:*");
        using var response = await Http.SendAsync(request);
        await EnsureAsync(response, "delete manifest");
    }

    public async Task<string> PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest)
    {
        using var request = Request(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", $"repository:{repository}:pull,push");
        request.Content = new ByteArrayContent(manifest);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await Http.SendAsync(request);
        await EnsureAsync(response, "put manifest");
        return Digest(manifest);
    }

    public async Task PushBlobAsync(string repository, byte[] content)
    {
        var digest = Digest(content);
        using (var head = Request(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}", $"repository:{repository}:pull,push"))
        using (var exists = await Http.SendAsync(head))
        {
            if (exists.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }

        using var start = Request(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/", $"repository:{repository}:pull,push");
        using var started = await Http.SendAsync(start);
        await EnsureAsync(started, "start upload");
        var location = started.Headers.Location!;
        var upload = location.IsAbsoluteUri ? location : new Uri(registry, location);
        var separator = upload.Query.Length > 0 ? "&" : "?";
        using var put = Request(HttpMethod.Put, upload + separator + "digest=" + Uri.EscapeDataString(digest), $"repository:{repository}:pull,push");
        put.Content = new ByteArrayContent(content);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var finished = await Http.SendAsync(put);
        await EnsureAsync(finished, "finish upload");
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private HttpRequestMessage Request(HttpMethod method, string pathOrUrl, string scope)
    {
        var request = new HttpRequestMessage(method, pathOrUrl.StartsWith("http", StringComparison.Ordinal) ? new Uri(pathOrUrl) : new Uri(registry, pathOrUrl));
        if (authorization(scope) is { } value)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }

        return request;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>A single-platform image pushed by <see cref="RegistryUploader"/>: its manifest digest and config digest (the engine's image id).</summary>
public sealed record UploadedImage(string Digest, string ConfigDigest, int Size, string Architecture, string? Variant);
