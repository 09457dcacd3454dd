namespace Harbor.Controller.Updates;

/// <summary>The placeholder until update detection registers its registry-backed resolver.</summary>
internal sealed class NoTargetDigestResolver : ITargetDigestResolver
{
    public Task<string?> ResolveAsync(string tagReference, string? platform, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
