using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Controller.Policy;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Harbor.Bench;

/// <summary>
/// The scheduler's own-schedule pass (it runs every minute, or sooner when a container is due) over
/// 5,000 containers on 10 hosts, real controller and SQLite file, a tenth with a harbor.check-schedule
/// label: first with labels only (only labelled containers are read), then with a rule that sets
/// checkSchedule (every container's policy is resolved). Nothing is due, so the figures are the pass's
/// fixed cost. Target: well under the 1-minute period.
/// </summary>
internal static class ScheduleBenchmark
{
    private const int Hosts = 10;
    private const int PerHost = 500;
    private const int Passes = 20;

    public static async Task RunAsync()
    {
        using var data = new TempDirectory("bench-schedule");
        await using var controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Harbor"] = "Warning",
        });
        var inventory = controller.Services.GetRequiredService<InventoryService>();
        for (var h = 0; h < Hosts; h++)
        {
            var hostId = $"bench-host-{h}";
            await BenchHosts.ConnectAsync(inventory, hostId);
            var snapshot = new InventorySnapshot { Sequence = 1, Generation = 1 };
            for (var i = 0; i < PerHost; i++)
            {
                var container = new Container
                {
                    Id = $"c{h}-{i}", Name = $"app-{i}", Image = $"registry.bench/{(i % 10 == 1 ? "nightly" : "app")}-{i % 50}:1",
                    ImageId = "sha256:" + new string('e', 64), State = ContainerState.Running, CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    Platform = new Platform { Os = "linux", Architecture = "amd64" },
                };
                container.Labels["com.docker.compose.project"] = $"stack-{i % 20}";
                if (i % 10 == 0)
                {
                    container.Labels["harbor.check-schedule"] = "0 3 * * *";
                }

                snapshot.Containers.Add(container);
            }

            await inventory.ApplySnapshotAsync(hostId, snapshot, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await controller.FlushInventoryAsync();
        var scheduler = controller.Services.GetServices<IHostedService>().OfType<CheckScheduler>().Single();
        var policies = controller.Services.GetRequiredService<PolicyService>();

        // Labels only: the pass reads just the containers that carry harbor.check-schedule.
        await MeasureAsync("labels only", scheduler, policies);

        // A rule sets checkSchedule too: every container's policy must be resolved.
        using (var rule = await controller.PostJsonAsync("/api/v1/policy/rules", new
        {
            name = "nightly images", scope = "image", scopeValue = "registry.bench/nightly-*",
            settings = new Dictionary<string, string> { ["checkSchedule"] = "TZ=Europe/Berlin 30 4 * * *" },
        }))
        {
            rule.EnsureSuccessStatusCode();
        }

        await MeasureAsync("a rule sets checkSchedule", scheduler, policies);
    }

    private static async Task MeasureAsync(string scenario, CheckScheduler scheduler, PolicyService policies)
    {
        var scheduled = await policies.ResolveCheckSchedulesAsync(CancellationToken.None);
        var since = DateTimeOffset.UtcNow;
        await scheduler.PassAsync(since, CancellationToken.None);

        var times = new List<double>();
        var allocated = new List<double>();
        for (var pass = 0; pass < Passes; pass++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await scheduler.PassAsync(since, CancellationToken.None);
            watch.Stop();
            times.Add(watch.Elapsed.TotalMilliseconds);
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / 1024.0);
        }

        Console.WriteLine($"check-schedule pass, {scenario}: {Hosts * PerHost} containers, {scheduled.Count} on their own schedule, {Passes} passes:");
        Console.WriteLine($"  time p50 / p95: {Statistics.Percentile(times, 50):0} / {Statistics.Percentile(times, 95):0} ms (runs every minute)");
        Console.WriteLine($"  allocated per pass p50: {Statistics.Percentile(allocated, 50):0.0} MiB");
    }
}
