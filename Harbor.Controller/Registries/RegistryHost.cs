namespace Harbor.Controller.Registries;

/// <summary>
/// Turns the ways people and tools name a registry (<c>https://index.docker.io/v1/</c>,
/// <c>registry-1.docker.io</c>, <c>ghcr.io/</c>) into the host used in image references.
/// </summary>
internal static class RegistryHost
{
    /// <summary>The normalized registry, or null when <paramref name="text"/> does not name one.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var host = text.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        if (host.Equals("index.docker.io", StringComparison.OrdinalIgnoreCase)
            || host.Equals("registry-1.docker.io", StringComparison.OrdinalIgnoreCase)
            || host.Equals("registry.hub.docker.com", StringComparison.OrdinalIgnoreCase)
            || host.Equals(ImageReference.DockerHub, StringComparison.OrdinalIgnoreCase))
        {
            return ImageReference.DockerHub;
        }

        // A registry host is whatever the reference grammar accepts before the first '/'.
        return ImageReference.TryParse(host + "/x", out var parsed, out _) && parsed.Registry == host ? host.ToLowerInvariant() : null;
    }
}
