using System.Diagnostics.CodeAnalysis;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Updates;

/// <summary>
/// An image reference as a container names it, <c>repository[:tag][@sha256:…]</c>, split into what a job
/// needs: the repository to pull from, the tag to keep pointing at the new image, a pinned digest.
/// </summary>
/// <remarks>
/// The grammar is <see cref="ImageReference"/>'s (one parser); this keeps the repository exactly as written
/// (<c>nginx</c>, not <c>docker.io/library/nginx</c>) so the tag the job re-points reads as the user wrote it.
/// </remarks>
internal sealed record ImageName(string Repository, string? Tag, string? Digest)
{
    private const int MaxLength = 512;

    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageName? name)
    {
        name = null;
        // "sha256:…" is an image id; the reference grammar would read it as repository "sha256" with a tag.
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength || text.StartsWith("sha256:", StringComparison.Ordinal)
            || !ImageReference.TryParse(text, out var reference, out _)
            || (reference.Digest is not null && !IsDigest(reference.Digest)))
        {
            return false;
        }

        var suffix = (reference.Tag is null ? 0 : reference.Tag.Length + 1) + (reference.Digest is null ? 0 : reference.Digest.Length + 1);
        name = new ImageName(text[..^suffix], reference.Tag, reference.Digest);
        return true;
    }

    /// <summary>A sha256 content digest: what agents pin to (other algorithms are refused by the agent too).</summary>
    public static bool IsDigest(string? text) =>
        text is not null && text.StartsWith("sha256:", StringComparison.Ordinal) && ContentDigest.IsValid(text);

    /// <summary>repository:tag, with Docker's implicit "latest".</summary>
    public string TagReference => $"{Repository}:{Tag ?? "latest"}";

    public string DigestReference(string digest) => $"{Repository}@{digest}";
}
