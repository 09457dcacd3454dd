using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Harbor.Agent.Updates;

/// <summary>
/// A Docker image reference, <c>[registry/]path[:tag][@sha256:…]</c>, split the way the engine splits it:
/// the first path component is a registry only when it has a dot or a port or is <c>localhost</c>.
/// </summary>
internal sealed partial record ImageReference(string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>The registry host (with port), <c>docker.io</c> when the reference names none.</summary>
    public string Registry
    {
        get
        {
            var slash = Repository.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return DockerHub;
            }

            var first = Repository[..slash];
            return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
                ? first
                : DockerHub;
        }
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The image reference is empty.";
            return false;
        }

        if (text.Length > 512 || text.Any(char.IsWhiteSpace))
        {
            error = $"'{text}' is not an image reference.";
            return false;
        }

        string? digest = null;
        var name = text;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            name = text[..at];
            if (!IsDigest(digest))
            {
                error = $"'{digest}' in '{text}' is not a sha256 digest (sha256: and 64 lowercase hex digits).";
                return false;
            }
        }

        string? tag = null;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"'{tag}' in '{text}' is not a valid tag.";
                return false;
            }
        }

        if (!RepositoryPattern().IsMatch(name))
        {
            error = $"'{name}' in '{text}' is not a valid repository name.";
            return false;
        }

        reference = new ImageReference(name, tag, digest);
        error = null;
        return true;
    }

    public static bool IsDigest(string? text) => text is not null && DigestPattern().IsMatch(text);

    public override string ToString() =>
        Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    // Registry host (any case, optional port) then lowercase path components.
    [GeneratedRegex(@"^([A-Za-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();
}
