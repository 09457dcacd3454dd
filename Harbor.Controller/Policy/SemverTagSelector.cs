using Semver;

namespace Harbor.Controller.Policy;

/// <summary>
/// Picks the tag a semver-tracking container should move to. Tags are read loosely the way images
/// are tagged in practice ("v1.4.2", "1.27", "1.27.3-alpine"): a tag's variant suffix (what follows
/// the first '-' of a tag whose current tag also has one, e.g. "-alpine") must match the current
/// tag's, so an alpine image stays alpine. Without a suffix on the current tag, suffixed tags are
/// pre-releases and are skipped unless pre-releases are allowed.
/// </summary>
internal static class SemverTagSelector
{
    /// <summary>The highest tag in range (never lower than the current one), or null when none qualifies.</summary>
    public static string? Select(IEnumerable<string> tags, SemVersionRange range, string currentTag, bool allowPrerelease)
    {
        var current = Parse(currentTag);
        var variant = current?.Variant;
        string? best = null;
        SemVersion? bestVersion = null;
        foreach (var tag in tags)
        {
            var parsed = Parse(tag);
            if (parsed is null || !string.Equals(parsed.Variant, variant, StringComparison.Ordinal))
            {
                continue;
            }

            var version = parsed.Version;
            if (version.IsPrerelease && !allowPrerelease)
            {
                continue;
            }

            var contained = allowPrerelease ? range.Contains(version.WithoutPrereleaseOrMetadata()) : range.Contains(version);
            if (!contained)
            {
                continue;
            }

            // Prefer the higher version; for the same version prefer the more specific tag (1.4.2 over 1.4).
            var comparison = bestVersion is null ? 1 : version.ComparePrecedenceTo(bestVersion);
            if (comparison > 0 || (comparison == 0 && best is not null && tag.Length > best.Length))
            {
                best = tag;
                bestVersion = version;
            }
        }

        if (best is not null && current is not null && bestVersion!.ComparePrecedenceTo(current.Version) < 0)
        {
            // Never move a container backwards, even if the range no longer contains its version.
            return null;
        }

        return best;
    }

    internal sealed record ParsedTag(SemVersion Version, string? Variant);

    internal static ParsedTag? Parse(string tag)
    {
        var text = tag.StartsWith('v') || tag.StartsWith('V') ? tag[1..] : tag;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0]))
        {
            return null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var core = dash < 0 ? text : text[..dash];
        if (!SemVersion.TryParse(core, SemVersionStyles.OptionalMinorPatch, out var version))
        {
            return null;
        }

        if (dash < 0)
        {
            return new ParsedTag(version, null);
        }

        // "1.5.0-rc.1" is a pre-release, "1.27-alpine" a variant, "1.13.0-rc.2-alpine" both.
        var parts = text[(dash + 1)..].Split('-');
        if (!IsPrerelease(parts[0]))
        {
            return new ParsedTag(version, string.Join('-', parts));
        }

        return SemVersion.TryParse($"{version.Major}.{version.Minor}.{version.Patch}-{parts[0]}", SemVersionStyles.Strict, out var prerelease)
            ? new ParsedTag(prerelease, parts.Length > 1 ? string.Join('-', parts[1..]) : null)
            : null;
    }

    private static bool IsPrerelease(string identifier)
    {
        var word = identifier.Split('.')[0].TrimEnd("0123456789".ToCharArray()).ToLowerInvariant();
        return word.Length == 0 || PrereleaseWords.Contains(word);
    }

    private static readonly HashSet<string> PrereleaseWords =
        ["alpha", "a", "beta", "b", "rc", "cr", "pre", "preview", "dev", "snapshot", "nightly", "next", "canary", "insiders", "ea", "m", "milestone"];
}
