using System.Collections.Concurrent;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Updates.Preview;

/// <summary>
/// Compares the config of the image a container runs with the config of the update the last check
/// found, both read from the registry (manifest → the platform's manifest in an index → config blob),
/// through the same client, credentials and rate limits as detection. The two configs are cached per
/// (repository, current digest, target digest, platform): digests never change content.
/// </summary>
internal sealed class UpdatePreviewService(InventoryQueries inventory, RegistryClient registry)
{
    private const int MaxCached = 512;

    private readonly ConcurrentDictionary<string, (ImageConfig Current, ImageConfig Target)> cache = new(StringComparer.Ordinal);

    /// <summary>The preview, or a problem (title, detail, HTTP status) saying why there is none.</summary>
    public async Task<(UpdatePreviewResponse? Preview, PreviewProblem? Problem)> PreviewAsync(string hostId, string idOrName, CancellationToken cancellationToken)
    {
        var lookup = await inventory.FindContainerAsync(hostId, idOrName, cancellationToken);
        if (lookup.Container is not { } container)
        {
            return (null, new PreviewProblem(StatusCodes.Status404NotFound, "Container not found",
                lookup.Ambiguous ? $"More than one container on '{hostId}' matches '{idOrName}'; use its id." : $"Host '{hostId}' reports no container '{idOrName}'."));
        }

        if (container.Update is not { Status: UpdateStatus.UpdateAvailable, RemoteDigest: { } target })
        {
            return (null, new PreviewProblem(StatusCodes.Status409Conflict, "No update available",
                $"{container.Name} is '{container.Update.Status}'; a preview needs a check that found an update (POST /api/v1/checks)."));
        }

        if (!ImageReference.TryParse(container.Update.Reference ?? container.Image, out var image, out var reason))
        {
            return (null, new PreviewProblem(StatusCodes.Status409Conflict, "Image reference not usable", reason));
        }

        var current = CurrentDigest(container, image);
        if (current is null)
        {
            return (null, new PreviewProblem(StatusCodes.Status409Conflict, "Current image not in the registry",
                $"{container.Name} runs an image with no digest from {image.Name}; there is nothing to compare the update with."));
        }

        var platform = ImagePlatform.Parse(container.Platform) is { Architecture.Length: > 0 } own
            ? own
            : await inventory.GetHostAsync(hostId, cancellationToken) is { } host ? ImagePlatform.Create(host.Os, host.Architecture) : ImagePlatform.Create("linux", "amd64");
        var key = $"{image.Registry}/{image.Repository}|{current}|{target}|{platform}";
        try
        {
            if (!cache.TryGetValue(key, out var configs))
            {
                configs = (await ConfigAsync(image, current, platform, cancellationToken), await ConfigAsync(image, target, platform, cancellationToken));
                if (cache.Count >= MaxCached)
                {
                    cache.Clear();
                }

                cache[key] = configs;
            }

            return (new UpdatePreviewResponse(hostId, container.Name, image.Name, current, target, platform.ToString(),
                ImageConfigDiff.Compare(configs.Current, configs.Target, container.Labels, container.Ports)), null);
        }
        catch (RegistryException e)
        {
            return (null, new PreviewProblem(StatusCodes.Status502BadGateway, "The registry did not answer the preview", e.Message));
        }
        catch (FormatException e)
        {
            return (null, new PreviewProblem(StatusCodes.Status502BadGateway, "The registry served something that is not an image", e.Message));
        }
    }

    /// <summary>The digest the container's image has in this repository (its repo digests are <c>name@sha256:…</c>).</summary>
    private static string? CurrentDigest(ContainerResponse container, ImageReference image)
    {
        foreach (var repoDigest in container.RepoDigests)
        {
            var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && ImageReference.TryParse(repoDigest[..at], out var name, out _)
                && name.Registry == image.Registry && name.Repository == image.Repository && ContentDigest.IsValid(repoDigest[(at + 1)..]))
            {
                return repoDigest[(at + 1)..];
            }
        }

        return null;
    }

    private async Task<ImageConfig> ConfigAsync(ImageReference image, string digest, ImagePlatform platform, CancellationToken cancellationToken)
    {
        var manifest = await registry.GetManifestAsync(image, digest, cancellationToken);
        if (manifest.IsIndex)
        {
            var entry = ManifestIndex.Parse(manifest.Body).Resolve(platform)
                ?? throw new FormatException($"{image.Name}@{digest} has no image for {platform}.");
            manifest = await registry.GetManifestAsync(image, entry.Digest, cancellationToken);
        }

        return ImageConfig.Parse(await registry.GetBlobAsync(image, ImageManifest.ConfigDigest(manifest.Body), cancellationToken));
    }
}
