using System.Text.RegularExpressions;

namespace Harbor.Agent.Updates;

/// <summary>
/// The id of the container the agent itself runs in, if it runs in one, so it can refuse to replace
/// itself mid-job. Docker bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf from
/// /var/lib/docker/containers/&lt;id&gt;/, which shows in /proc/self/mountinfo on cgroup v1 and v2;
/// /proc/self/cgroup names the id on cgroup v1.
/// </summary>
internal static partial class SelfContainer
{
    private static readonly Lazy<string?> Current = new(() => Detect(Read("/proc/self/mountinfo"), Read("/proc/self/cgroup")));

    public static string? Id => Current.Value;

    public static string? Detect(string? mountInfo, string? cgroup)
    {
        if (mountInfo is not null && MountInfoPattern().Match(mountInfo) is { Success: true } mount)
        {
            return mount.Groups["id"].Value;
        }

        return cgroup is not null && CgroupPattern().Match(cgroup) is { Success: true } group ? group.Groups["id"].Value : null;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"/containers/(?<id>[0-9a-f]{64})/(hostname|hosts|resolv\.conf)")]
    private static partial Regex MountInfoPattern();

    [GeneratedRegex(@"(/docker/|docker-)(?<id>[0-9a-f]{64})")]
    private static partial Regex CgroupPattern();
}
