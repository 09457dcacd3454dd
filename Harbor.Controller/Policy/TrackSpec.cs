using Semver;

namespace Harbor.Controller.Policy;

internal enum TrackKind
{
    /// <summary>Follow the configured tag's digest (e.g. nginx:1.27 gets the newest 1.27 build).</summary>
    Tag,

    /// <summary>Move to the highest tag inside a semver range (e.g. ^1.4 moves from 1.4.2 to 1.9.0).</summary>
    Semver,
}

/// <summary>What a container follows: "tag" (default) or "semver:&lt;npm-style range&gt;".</summary>
internal sealed record TrackSpec(TrackKind Kind, string Text, SemVersionRange? Range)
{
    public static readonly TrackSpec FollowTag = new(TrackKind.Tag, "tag", null);

    public static bool TryParse(string text, out TrackSpec spec, out string? error)
    {
        var trimmed = text.Trim();
        error = null;
        spec = FollowTag;
        if (trimmed.Equals("tag", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (trimmed.StartsWith("semver:", StringComparison.OrdinalIgnoreCase))
        {
            var rangeText = trimmed["semver:".Length..].Trim();
            if (SemVersionRange.TryParseNpm(rangeText, out var range))
            {
                spec = new TrackSpec(TrackKind.Semver, trimmed, range);
                return true;
            }

            error = $"'{rangeText}' is not a semver range; write e.g. semver:^1.4, semver:~2.1 or semver:>=1.2 <2.";
            return false;
        }

        error = $"'{text}' is not a tracking mode; use tag or semver:<range>.";
        return false;
    }
}
