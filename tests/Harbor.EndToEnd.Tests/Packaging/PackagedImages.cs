using System.Collections.Concurrent;
using System.Diagnostics;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>An image one of the image scripts built, and how long that took.</summary>
public sealed record BuiltImage(string Tag, TimeSpan BuildTime);

/// <summary>
/// The images eng/agent-image.sh and eng/controller-image.sh build, each built once per test run under a tag
/// of its own and shared by every class that runs it (the agent's NativeAOT build alone takes minutes);
/// removed when the test process ends.
/// </summary>
internal static class PackagedImages
{
    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private static readonly ConcurrentBag<string> Built = [];
    private static readonly Lazy<Task<BuiltImage>> Agent = new(() => BuildAsync("agent-image.sh", "harbor-test/agent:" + RunId));
    private static readonly Lazy<Task<BuiltImage>> Controller = new(() => BuildAsync("controller-image.sh", "harbor-test/controller:" + RunId));

    static PackagedImages() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveBuilt();

    public static Task<BuiltImage> AgentAsync() => Agent.Value;

    public static Task<BuiltImage> ControllerAsync() => Controller.Value;

    private static async Task<BuiltImage> BuildAsync(string script, string tag)
    {
        await DockerEngine.RequireAsync();
        using var output = new TempDirectory("image");
        var started = Stopwatch.StartNew();
        await ImageScript.BuildAsync(script, tag, output.Path);
        Built.Add(tag);
        return new BuiltImage(tag, started.Elapsed);
    }

    private static void RemoveBuilt()
    {
        if (Built.IsEmpty)
        {
            return;
        }

        using var remove = Process.Start(new ProcessStartInfo("docker", ["rmi", .. Built]) { RedirectStandardOutput = true, RedirectStandardError = true });
        remove?.WaitForExit(TimeSpan.FromSeconds(30));
    }
}
