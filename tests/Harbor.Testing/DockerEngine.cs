using Xunit;

namespace Harbor.Testing;

/// <summary>
/// Whether a real Docker engine answers. Tests that need one call <see cref="RequireAsync"/> first:
/// without an engine they skip with the reason, unless HARBOR_REQUIRE_DOCKER=1 (CI), where they fail.
/// </summary>
public static class DockerEngine
{
    private static readonly Lazy<Task<string?>> Probe = new(ProbeAsync);

    public static bool Required => Environment.GetEnvironmentVariable("HARBOR_REQUIRE_DOCKER") == "1";

    public static async Task RequireAsync()
    {
        var problem = await Probe.Value;
        if (problem is null)
        {
            return;
        }

        if (Required)
        {
            throw new InvalidOperationException($"HARBOR_REQUIRE_DOCKER=1 but no Docker engine answers: {problem}");
        }

        Assert.Skip($"Needs a Docker engine ({problem}). Run eng/test.sh, which starts one; HARBOR_REQUIRE_DOCKER=1 turns this skip into a failure.");
    }

    private static async Task<string?> ProbeAsync()
    {
        try
        {
            var result = await DockerCli.RunAsync(["version", "--format", "{{.Server.Version}}"], timeout: TimeSpan.FromSeconds(20));
            return result.ExitCode == 0 ? null : result.Error.Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}
