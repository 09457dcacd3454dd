using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.Bench;

/// <summary>
/// Issue 5's update benchmark, on the real engine with the real controller, agent and registry:
/// <list type="number">
/// <item>one update whose new image is already pulled, side by side with the raw Docker CLI sequence
/// (stop, rename, run with the same flags, rm), verification window excluded: both times and the ratio;</item>
/// <item>20 containers on one host updated in one go: total time and the agent's peak RSS.</item>
/// </list>
/// </summary>
internal static class UpdateBenchmark
{
    private const int Rounds = 7;
    private const int Fleet = 20;

    private const string V1 = """
        FROM harbor-test/busybox:base
        ENV VERSION=1
        CMD ["httpd", "-f", "-p", "80", "-h", "/"]
        """;

    private const string V2 = """
        FROM harbor-test/busybox:base
        ENV VERSION=2
        CMD ["httpd", "-f", "-p", "80", "-h", "/"]
        """;

    public static async Task RunAsync()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        using var data = new TempDirectory("bench-update");
        var label = $"{TestImages.TestLabel}={data.Path}";
        await using var registry = await RegistryServer.StartAsync();
        await using var controller = await ControllerHost.StartAsync(data.Combine("controller"));
        await using var agent = AgentProcess.Start(controller.AgentHubAddress, data.Combine("agent"), await controller.CreateEnrollmentTokenAsync());
        var volume = TestNames.Unique("bench-vol");
        var references = new List<string>();
        try
        {
            var host = await Eventually.GetAsync(
                async () => (await controller.GetHostsAsync()).FirstOrDefault(h => h.Online), h => h is not null, TimeSpan.FromSeconds(30), "agent online");
            var v1 = await TestImages.BuildAsync("harbor-test/bench-update:v1", V1);
            var v2 = await TestImages.BuildAsync("harbor-test/bench-update:v2", V2);
            var repository = $"{TestNames.Unique("bench")}/app";
            var tag = $"{registry.Host}/{repository}:1";
            var oldDigest = await registry.PushAsync(v1, repository, "1");
            var newDigest = await registry.PushAsync(v2, repository, "2");
            references.AddRange([tag, $"{registry.Host}/{repository}:2", $"{registry.Host}/{repository}@{oldDigest}", $"{registry.Host}/{repository}@{newDigest}"]);
            await DockerCli.CheckedAsync("volume", "create", "--label", label, volume);

            // The same flags for both sides: what a typical service container carries.
            string[] Flags(string name) =>
                ["--init", "--name", name, "-l", label, "-l", "app=bench", "-e", "MODE=prod", "-p", "127.0.0.1::80", "-v", $"{volume}:/data", "--restart", "unless-stopped", "--memory", "128m"];

            Console.WriteLine($"one container, new image already pulled, {Rounds} rounds each (median), verification window excluded:");
            var steps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var harbor = new List<double>();
            var harborWall = new List<double>();
            var cli = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                // A Harbor update moves the tag to the new image; point it back so every round starts from v1.
                await DockerCli.CheckedAsync("tag", v1, tag);
                var (jobMs, wallMs) = await HarborOnceAsync(controller, host!.Id, tag, newDigest, Flags, steps);
                harbor.Add(jobMs);
                harborWall.Add(wallMs);
                cli.Add(await CliOnceAsync(tag, $"{registry.Host}/{repository}@{newDigest}", Flags));
            }

            var ratio = Median(harbor) / Median(cli);
            Console.WriteLine($"  raw docker CLI (stop, rename, run, rm): {Median(cli),8:0} ms");
            Console.WriteLine($"  Harbor job on the agent:                {Median(harbor),8:0} ms   ratio {ratio:0.00}× (target ≤ 1.10×)");
            Console.WriteLine($"  Harbor API → result seen by a client:   {Median(harborWall),8:0} ms   (includes controller, stream and 20 ms polling)");
            Console.WriteLine("  Harbor steps (median ms): " + string.Join(", ", steps.Select(s => $"{s.Key} {Median(s.Value):0}")));

            Console.WriteLine($"{Fleet} containers on one host updated in one go (stability window 0, MaxConcurrentJobs default 4):");
            await DockerCli.CheckedAsync("tag", v1, tag);
            var (totalMs, rssBefore, rssPeak, outcomes) = await FleetAsync(controller, agent, host!.Id, tag, newDigest, label);
            Console.WriteLine($"  total {totalMs / 1000:0.0} s; outcomes: {outcomes}");
            Console.WriteLine($"  agent RSS before {rssBefore / 1024.0:0.0} MiB, peak {rssPeak / 1024.0:0.0} MiB (VmHWM)");
        }
        finally
        {
            await DockerCli.RemoveContainersWithLabelAsync(label);
            await DockerCli.RunAsync("volume", "rm", volume);
            await DockerCli.RunAsync(["rmi", .. references], null);
        }
    }

    private static async Task<(double JobMs, double WallMs)> HarborOnceAsync(
        ControllerHost controller, string hostId, string tag, string digest, Func<string, string[]> flags, Dictionary<string, List<double>> steps)
    {
        var name = TestNames.Unique("bench-harbor");
        await DockerCli.CheckedAsync(["run", "-d", .. flags(name), tag]);
        await Eventually.GetAsync(
            async () => (await controller.GetContainersAsync($"host={hostId}&name={name}")).FirstOrDefault(c => c.Name == name),
            c => c?.State == "running", TimeSpan.FromSeconds(10), "container in the inventory");

        var wall = Stopwatch.StartNew();
        using var response = await controller.PostJsonAsync($"/api/v1/containers/{hostId}/{name}/update",
            new { targetDigest = digest, verify = new { stabilityWindowSeconds = 0 } });
        var job = (await response.Content.ReadFromJsonAsync<ApiJob>())!;
        var finished = await PollAsync(controller, job.Id);
        wall.Stop();
        if (finished.Outcome != "succeeded")
        {
            throw new InvalidOperationException($"Benchmark update {finished.Outcome}: {finished.Reason}");
        }

        foreach (var step in finished.Steps.Where(s => s.DurationMs is not null))
        {
            (steps.TryGetValue(step.Step, out var list) ? list : steps[step.Step] = []).Add(step.DurationMs!.Value);
        }

        var verify = finished.StepNamed("verify")?.DurationMs ?? 0;
        var jobMs = (finished.FinishedAt!.Value - finished.StartedAt!.Value).TotalMilliseconds - verify;
        await DockerCli.RunAsync("rm", "-f", name);
        return (jobMs, wall.Elapsed.TotalMilliseconds - verify);
    }

    private static async Task<double> CliOnceAsync(string tag, string newImage, Func<string, string[]> flags)
    {
        var name = TestNames.Unique("bench-cli");
        await DockerCli.CheckedAsync(["run", "-d", .. flags(name), tag]);

        var watch = Stopwatch.StartNew();
        await DockerCli.CheckedAsync("stop", name);
        await DockerCli.CheckedAsync("rename", name, name + "-old");
        await DockerCli.CheckedAsync(["run", "-d", .. flags(name), newImage]);
        await DockerCli.CheckedAsync("rm", name + "-old");
        watch.Stop();

        await DockerCli.RunAsync("rm", "-f", name);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<(double TotalMs, long RssBeforeKb, long RssPeakKb, string Outcomes)> FleetAsync(
        ControllerHost controller, AgentProcess agent, string hostId, string tag, string digest, string label)
    {
        var names = Enumerable.Range(0, Fleet).Select(i => TestNames.Unique($"bench-fleet{i}")).ToList();
        foreach (var name in names)
        {
            await DockerCli.CheckedAsync("run", "-d", "--init", "--name", name, "-l", label, "-e", "MODE=prod", tag);
        }

        await Eventually.GetAsync(
            async () => (await controller.GetContainersAsync($"host={hostId}&name=bench-fleet")).Count(c => c.State == "running"),
            count => count >= Fleet, TimeSpan.FromSeconds(30), "fleet in the inventory");
        var rssBefore = ReadStatusKb(agent.ProcessId, "VmRSS");

        var watch = Stopwatch.StartNew();
        var jobs = await Task.WhenAll(names.Select(async name =>
        {
            using var response = await controller.PostJsonAsync($"/api/v1/containers/{hostId}/{name}/update",
                new { targetDigest = digest, verify = new { stabilityWindowSeconds = 0 } });
            return (await response.Content.ReadFromJsonAsync<ApiJob>())!.Id;
        }));
        var results = await Task.WhenAll(jobs.Select(id => PollAsync(controller, id)));
        watch.Stop();

        var outcomes = string.Join(", ", results.GroupBy(r => r.Outcome).Select(g => $"{g.Count()} {g.Key}"));
        return (watch.Elapsed.TotalMilliseconds, rssBefore, ReadStatusKb(agent.ProcessId, "VmHWM"), outcomes);
    }

    private static async Task<ApiJob> PollAsync(ControllerHost controller, string jobId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var job = await controller.GetJobAsync(jobId);
            if (job.State == "finished")
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {jobId} did not finish: {job.State} at {job.CurrentStep}.");
            }

            await Task.Delay(20);
        }
    }

    private static long ReadStatusKb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
