using System.Text.RegularExpressions;

namespace Harbor.Controller.Updates;

/// <summary>
/// The id of the container this controller runs in, if any, so an update job never replaces the
/// controller that records it (the agent also refuses containers labelled harbor.role=controller, but a
/// controller started from another image carries no label). Docker bind-mounts the container's
/// /etc/hostname from /var/lib/docker/containers/&lt;id&gt;/, which /proc/self/mountinfo shows.
/// </summary>
internal static partial class ControllerContainer
{
    private static readonly Lazy<string?> Current = new(() =>
    {
        try
        {
            return File.Exists("/proc/self/mountinfo") && IdPattern().Match(File.ReadAllText("/proc/self/mountinfo")) is { Success: true } match
                ? match.Groups["id"].Value
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    });

    public static string? Id => Current.Value;

    [GeneratedRegex(@"/containers/(?<id>[0-9a-f]{64})/hostname")]
    private static partial Regex IdPattern();
}
