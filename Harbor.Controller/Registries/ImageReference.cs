using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Harbor.Controller.Registries;

/// <summary>
/// A normalized image reference, parsed exactly as the distribution reference grammar (and so the
/// Docker CLI) does: <c>nginx</c> is <c>docker.io/library/nginx</c> with no tag (the registry
/// resolves "latest"), <c>localhost:5000/app:1@sha256:…</c> keeps its registry, tag and digest.
/// </summary>
/// <remarks>
/// Free of controller dependencies on purpose: the agent's pull will reuse it.
/// Grammar (distribution/reference):
/// <code>
/// reference        := name [ ":" tag ] [ "@" digest ]
/// name             := [domain '/'] path-component ['/' path-component]*
/// domain           := host [':' port-number]
/// host             := domain-name | '[' IPv6address ']'
/// domain-name      := domain-component ['.' domain-component]*
/// domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
/// path-component   := alpha-numeric [separator alpha-numeric]*
/// alpha-numeric    := /[a-z0-9]+/
/// separator        := /[_.]|__|[-]+/
/// tag              := /[\w][\w.-]{0,127}/
/// digest           := algorithm ":" hex   (algorithm components [A-Za-z][A-Za-z0-9]* joined by [-_+.])
/// </code>
/// </remarks>
internal sealed partial record ImageReference
{
    /// <summary>Docker Hub's name in references.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that actually serves Docker Hub's Distribution API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    public const string DefaultTag = "latest";

    private const string LegacyDockerHub = "index.docker.io";
    private const string OfficialPrefix = "library/";
    private const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host with its port, e.g. <c>docker.io</c>, <c>ghcr.io</c>, <c>127.0.0.1:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, e.g. <c>library/nginx</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag as written, or null (the registry then serves <see cref="DefaultTag"/>).</summary>
    public string? Tag { get; }

    /// <summary>The digest as written (<c>sha256:…</c>), or null.</summary>
    public string? Digest { get; }

    /// <summary><c>registry/repository</c>, the canonical name.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The tag a registry resolves for this reference.</summary>
    public string TagOrDefault => Tag ?? DefaultTag;

    /// <summary>Configured by digest: the container runs exactly that content, whatever the tag does.</summary>
    public bool IsPinned => Digest is not null;

    /// <summary>The short form the Docker CLI shows: <c>nginx:1.27</c>, <c>user/app</c>, <c>ghcr.io/o/app:1</c>.</summary>
    public string FamiliarName
    {
        get
        {
            var name = Registry != DockerHub
                ? Name
                : Repository.StartsWith(OfficialPrefix, StringComparison.Ordinal) && !Repository.AsSpan(OfficialPrefix.Length).Contains('/')
                    ? Repository[OfficialPrefix.Length..]
                    : Repository;
            return name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
        }
    }

    /// <summary>The host the Distribution API lives on (Docker Hub's differs from its reference name).</summary>
    public string ApiHost => ApiHostOf(Registry);

    public static string ApiHostOf(string registry) => registry == DockerHub ? DockerHubApiHost : registry;

    /// <summary>The same repository at another tag, digest dropped.</summary>
    public ImageReference WithTag(string tag) =>
        TagPattern().IsMatch(tag) ? new ImageReference(Registry, Repository, tag, null) : throw new InvalidImageReferenceException(tag, "invalid tag format");

    /// <summary>Parses and normalizes a reference; throws <see cref="InvalidImageReferenceException"/> and nothing else.</summary>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var reason) ? reference : throw new InvalidImageReferenceException(text ?? "", reason);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? reason)
    {
        reference = null;
        if (string.IsNullOrEmpty(text))
        {
            reason = "repository name must have at least one component";
            return false;
        }

        if (IdentifierPattern().IsMatch(text))
        {
            reason = "a 64-character hexadecimal string is an image id, not a repository name";
            return false;
        }

        var (domain, remainder) = SplitDomain(text);
        var tagSeparator = remainder.IndexOf(':', StringComparison.Ordinal);
        var remote = tagSeparator < 0 ? remainder : remainder[..tagSeparator];
        if (!IsLower(remote))
        {
            reason = $"repository name ({remote}) must be lowercase";
            return false;
        }

        var candidate = domain + "/" + remainder;
        var match = ReferencePattern().Match(candidate);
        if (!match.Success)
        {
            reason = ReferencePattern().IsMatch(candidate.ToLowerInvariant())
                ? "repository name must be lowercase"
                : "invalid reference format";
            return false;
        }

        if (match.Groups["name"].Length > MaxNameLength)
        {
            reason = $"repository name must not be more than {MaxNameLength} characters";
            return false;
        }

        string? digest = null;
        if (match.Groups["digest"].Success)
        {
            digest = match.Groups["digest"].Value;
            if (ContentDigest.Validate(digest) is { } digestProblem)
            {
                reason = digestProblem;
                return false;
            }
        }

        var name = match.Groups["name"].Value;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        reference = new ImageReference(
            name[..slash],
            name[(slash + 1)..],
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            digest);
        reason = null;
        return true;
    }

    public override string ToString() => Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Docker's rule: the first path element is a registry when it has a '.' or ':', is "localhost", or has upper case.</summary>
    private static (string Domain, string Remainder) SplitDomain(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (DockerHub, OfficialPrefix + text);
        }

        var maybeDomain = text[..slash];
        var maybeRemote = text[(slash + 1)..];
        string domain, remote;
        if (maybeDomain == "localhost")
        {
            (domain, remote) = (maybeDomain, maybeRemote);
        }
        else if (maybeDomain == LegacyDockerHub)
        {
            (domain, remote) = (DockerHub, maybeRemote);
        }
        else if (maybeDomain.AsSpan().IndexOfAny('.', ':') >= 0 || !IsLower(maybeDomain))
        {
            (domain, remote) = (maybeDomain, maybeRemote);
        }
        else
        {
            (domain, remote) = (DockerHub, text);
        }

        if (domain == DockerHub && !remote.Contains('/', StringComparison.Ordinal))
        {
            remote = OfficialPrefix + remote;
        }

        return (domain, remote);
    }

    private static bool IsLower(string text) => !text.Any(char.IsUpper);

    // .NET's \w and $ differ from Go's: ASCII classes are spelled out and \z anchors the end
    // (a trailing newline must not slip through).
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string DomainAndPort = "(?:" + DomainComponent + @"(?:\." + DomainComponent + @")*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?";
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private const string TagText = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestText = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    [GeneratedRegex("^(?<name>" + DomainAndPort + "/" + PathComponent + "(?:/" + PathComponent + ")*)(?::(?<tag>" + TagText + "))?(?:@(?<digest>" + DigestText + @"))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^" + TagText + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
