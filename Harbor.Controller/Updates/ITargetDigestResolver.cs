using Semver;

namespace Harbor.Controller.Updates;

/// <summary>
/// Resolves the digest a tag points at now, for an update request that names no digest, so the job is
/// still pinned to one exact image even when the caller only said "update to the latest".
/// </summary>
internal interface ITargetDigestResolver
{
    Task<TargetDigestResolution> ResolveAsync(string tagReference, string? platform, CancellationToken cancellationToken);

    /// <summary>
    /// For a container that tracks a semver range: the highest tag in range (never lower than the current
    /// tag; the current tag when none qualifies) and the digest it points at now.
    /// </summary>
    Task<TrackedTargetResolution> ResolveTrackedAsync(string currentTagReference, SemVersionRange range, bool allowPrerelease, CancellationToken cancellationToken);
}

/// <summary>The tag semver tracking chose and its digest, or why they could not be found.</summary>
internal sealed record TrackedTargetResolution(string? Tag, string? Digest, string? Reason);

/// <summary>The digest the tag points at, or why it could not be found (shown to the caller as is).</summary>
internal sealed record TargetDigestResolution(string? Digest, string? Reason)
{
    public static TargetDigestResolution Found(string digest) => new(digest, null);

    public static TargetDigestResolution Failed(string reason) => new(null, reason);
}
