using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Harbor.Controller.Updates;

/// <summary>
/// An image reference as a container names it, <c>repository[:tag][@sha256:…]</c>, split into what a job
/// needs: the repository to pull from, the tag to keep pointing at the new image, a pinned digest.
/// </summary>
internal sealed partial record ImageName(string Repository, string? Tag, string? Digest)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageName? name)
    {
        name = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 512 || text.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!IsDigest(digest))
            {
                return false;
            }
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        if (!RepositoryPattern().IsMatch(rest) || (tag is not null && !TagPattern().IsMatch(tag)))
        {
            return false;
        }

        name = new ImageName(rest, tag, digest);
        return true;
    }

    public static bool IsDigest(string? text) => text is not null && DigestPattern().IsMatch(text);

    /// <summary>repository:tag, with Docker's implicit "latest".</summary>
    public string TagReference => $"{Repository}:{Tag ?? "latest"}";

    public string DigestReference(string digest) => $"{Repository}@{digest}";

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^([A-Za-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();
}
