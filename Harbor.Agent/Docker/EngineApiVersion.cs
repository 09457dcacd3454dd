using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Harbor.Agent.Docker;

/// <summary>
/// Chooses the Engine API version to speak from what the engine reports in <c>GET /version</c>
/// (<c>ApiVersion</c> = newest it speaks, <c>MinAPIVersion</c> = oldest) and what Harbor supports.
/// Pinning one version breaks on engine upgrades (Watchtower pinned 1.25 and broke on Docker 29,
/// whose minimum is 1.44), so the agent always speaks the newest version both sides know.
/// </summary>
internal static class EngineApiVersion
{
    /// <summary>Oldest Engine API Harbor speaks: Docker 20.10.</summary>
    public static readonly Version SupportedMinimum = new(1, 41);

    /// <summary>Newest Engine API the Docker client library models (Docker 29).</summary>
    public static readonly Version SupportedMaximum = new(1, 52);

    public static NegotiationResult Negotiate(string? engineApiVersion, string? engineMinApiVersion)
    {
        if (!TryParse(engineApiVersion, out var engineMax))
        {
            return NegotiationResult.Failure(
                $"The Docker engine reported an unreadable API version '{engineApiVersion}'.");
        }

        // Engines before API 1.25 do not report a minimum; they accept anything up to their maximum.
        var engineMin = TryParse(engineMinApiVersion, out var parsedMin) ? parsedMin : new Version(1, 12);

        if (engineMax < SupportedMinimum)
        {
            return NegotiationResult.Failure(
                $"The Docker engine speaks Engine API {Format(engineMax)}, older than the {Format(SupportedMinimum)} " +
                "(Docker 20.10) Harbor needs. Upgrade Docker on this host.");
        }

        if (engineMin > SupportedMaximum)
        {
            return NegotiationResult.Failure(
                $"The Docker engine requires Engine API {Format(engineMin)} or newer, but this Harbor agent speaks " +
                $"at most {Format(SupportedMaximum)}. Upgrade the Harbor agent.");
        }

        var chosen = engineMax < SupportedMaximum ? engineMax : SupportedMaximum;
        return NegotiationResult.Success(chosen);
    }

    public static string Format(Version version) => version.ToString(2);

    private static bool TryParse(string? text, [NotNullWhen(true)] out Version? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('.');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new Version(major, minor);
        return true;
    }
}

internal sealed record NegotiationResult(Version? Version, string? Error)
{
    [MemberNotNullWhen(true, nameof(Version))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Version is not null;

    public static NegotiationResult Success(Version version) => new(version, null);

    public static NegotiationResult Failure(string error) => new(null, error);
}
