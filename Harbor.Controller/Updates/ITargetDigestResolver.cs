namespace Harbor.Controller.Updates;

/// <summary>
/// Resolves the digest a tag points at now, for an update request that names no digest. The seam update
/// detection fills with its registry client (it knows credentials, platforms and rate limits); until then
/// <see cref="NoTargetDigestResolver"/> answers null and the API requires <c>targetDigest</c>.
/// </summary>
internal interface ITargetDigestResolver
{
    /// <summary>The manifest digest for this platform (e.g. linux/amd64), or null when it cannot be resolved.</summary>
    Task<string?> ResolveAsync(string tagReference, string? platform, CancellationToken cancellationToken);
}
