using Harbor.Controller.Inventory;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Checks;

/// <summary>
/// The rules that need no registry: which containers are pinned or local, which reference and
/// platform the others are checked for, and which local digests count as "what the container runs".
/// </summary>
internal static class StatusDecider
{
    /// <summary>A final result for containers that need no registry request, else the reference to resolve.</summary>
    public static (ContainerCheckResult? Result, ImageReference? Reference) Classify(ContainerImage container)
    {
        ContainerCheckResult Result(string status, string? reference, string? digest, string? why) =>
            new(container.HostId, container.ContainerId, status, reference, digest, why);

        var image = container.Image.Trim();
        if (image.Length == 0)
        {
            return (Result(UpdateStatus.Error, null, null, "The container reports no image reference."), null);
        }

        if (image.StartsWith("sha256:", StringComparison.Ordinal) || (image.Length == 64 && image.All(char.IsAsciiHexDigitLower)))
        {
            return (Result(UpdateStatus.Local, null, null, $"The container was created from the image id {Short(image)}, not from a registry reference."), null);
        }

        if (!ImageReference.TryParse(image, out var reference, out var reason))
        {
            return (Result(UpdateStatus.Error, null, null, $"'{image}' is not a valid image reference: {reason}."), null);
        }

        if (reference.IsPinned)
        {
            return (Result(UpdateStatus.Pinned, reference.ToString(), reference.Digest, null), null);
        }

        if (LocalDigests(container, reference).Count == 0)
        {
            var why = container.RepoDigests.Count == 0
                ? "The image has no registry digest: it was built or loaded locally, not pulled."
                : $"The image was not pulled from {reference.Name} (its digests are for {string.Join(", ", container.RepoDigests.Select(d => d.Split('@')[0]).Distinct())}).";
            return (Result(UpdateStatus.Local, reference.WithTag(reference.TagOrDefault).ToString(), null, why), null);
        }

        return (null, reference);
    }

    /// <summary>The digests (repo digests of the container's image) that belong to the checked repository.</summary>
    public static IReadOnlySet<string> LocalDigests(ContainerImage container, ImageReference reference)
    {
        var digests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var repoDigest in container.RepoDigests)
        {
            if (ImageReference.TryParse(repoDigest, out var parsed, out _) && parsed.Digest is { } digest && parsed.Name == reference.Name)
            {
                digests.Add(digest);
            }
        }

        return digests;
    }

    /// <summary>The platform the container's image is for (what the engine pulled), else the host's.</summary>
    public static ImagePlatform PlatformOf(ContainerImage container) =>
        ImagePlatform.Parse(container.Platform) is { Architecture.Length: > 0 } platform
            ? platform
            : ImagePlatform.Create(container.HostOs, container.HostArchitecture);

    private static string Short(string id) => id.Length > 19 ? id[..19] : id;
}
