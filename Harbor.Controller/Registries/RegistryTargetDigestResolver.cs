using Harbor.Controller.Policy;
using Harbor.Controller.Updates;
using Semver;

namespace Harbor.Controller.Registries;

/// <summary>
/// Answers "which digest does this tag point at now" with the same registry client update detection
/// uses, so an update without an explicit digest installs exactly what detection reported and shares
/// its credentials, TLS settings and rate-limit budget.
/// </summary>
/// <remarks>
/// The tag's top-level digest is returned (a manifest list's digest for a multi-platform image): the
/// engine pulls the right platform from it, and the container's repo digests then match what detection
/// compares against, so a finished update reads "up-to-date" without a second check.
/// </remarks>
internal sealed class RegistryTargetDigestResolver(RegistryClient registries) : ITargetDigestResolver
{
    public async Task<TargetDigestResolution> ResolveAsync(string tagReference, string? platform, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(tagReference, out var reference, out var reason))
        {
            return TargetDigestResolution.Failed(reason);
        }

        try
        {
            var manifest = await registries.HeadManifestAsync(reference, reference.TagOrDefault, cancellationToken);
            return TargetDigestResolution.Found(manifest.Digest);
        }
        catch (RegistryException error)
        {
            return TargetDigestResolution.Failed(error.Message);
        }
    }

    public async Task<TrackedTargetResolution> ResolveTrackedAsync(string currentTagReference, SemVersionRange range, bool allowPrerelease, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(currentTagReference, out var current, out var reason))
        {
            return new TrackedTargetResolution(null, null, reason);
        }

        try
        {
            // The same selection update detection makes, so the job installs what the check reported.
            var tags = await registries.ListTagsAsync(current, cancellationToken);
            var tag = SemverTagSelector.Select(tags, range, current.TagOrDefault, allowPrerelease) ?? current.TagOrDefault;
            var target = current.WithTag(tag);
            var manifest = await registries.HeadManifestAsync(target, tag, cancellationToken);
            return new TrackedTargetResolution(tag, manifest.Digest, null);
        }
        catch (RegistryException error)
        {
            return new TrackedTargetResolution(null, null, error.Message);
        }
    }
}
