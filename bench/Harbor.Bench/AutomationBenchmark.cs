using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Automation;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// One automation pass over 1000 containers with an update (10 hosts × 100; a third each notify,
/// approve and auto outside its window), on the real controller and SQLite file. Prints the first
/// pass (records first sightings, approvals, decisions, events) and steady passes. Target: ≤ 2 s per pass.
/// </summary>
internal static class AutomationBenchmark
{
    private const int Hosts = 10;
    private const int PerHost = 100;

    public static async Task RunAsync()
    {
        using var data = new TempDirectory("bench-automation");
        await using var controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?>
        {
            ["Harbor:Controller:Automation:EvaluateInterval"] = "1.00:00:00",
            ["Logging:LogLevel:Harbor"] = "Warning",
        });
        var inventory = controller.Services.GetRequiredService<InventoryService>();
        var store = controller.Services.GetRequiredService<CheckRunStore>();
        string[] policies = ["notify", "approve", "auto"];
        for (var h = 0; h < Hosts; h++)
        {
            var hostId = $"bench-host-{h}";
            await BenchHosts.ConnectAsync(inventory, hostId);
            var snapshot = new InventorySnapshot { Sequence = 1, Generation = 1 };
            for (var i = 0; i < PerHost; i++)
            {
                var container = new Container
                {
                    Id = $"c{h}-{i}", Name = $"app-{i}", Image = $"registry.bench/app-{i % 50}:1", ImageId = "sha256:" + new string('e', 64),
                    State = ContainerState.Running, CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                    Platform = new Platform { Os = "linux", Architecture = "amd64" },
                };
                container.Labels["harbor.policy"] = policies[i % 3];
                container.Labels["harbor.window"] = "0 3 31 2 * / 1h"; // never open: auto containers wait
                snapshot.Containers.Add(container);
            }

            await inventory.ApplySnapshotAsync(hostId, snapshot, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await controller.FlushInventoryAsync();
        await store.CreateAsync(new CheckRun("bench-run", "api", CheckScope.All, DateTimeOffset.UtcNow), CancellationToken.None);
        await store.SaveResultsAsync("bench-run", [.. Enumerable.Range(0, Hosts).SelectMany(h => Enumerable.Range(0, PerHost).Select(i =>
            new ContainerCheckResult($"bench-host-{h}", $"c{h}-{i}", UpdateStatus.UpdateAvailable, $"registry.bench/app-{i % 50}:1",
                "sha256:" + (i % 50).ToString("x64", System.Globalization.CultureInfo.InvariantCulture), null)))], DateTimeOffset.UtcNow, CancellationToken.None);

        var engine = controller.Services.GetRequiredService<AutomationEngine>();
        for (var pass = 1; pass <= 3; pass++)
        {
            var watch = Stopwatch.StartNew();
            var decisions = await engine.EvaluateAsync(CancellationToken.None);
            watch.Stop();
            var counts = string.Join(", ", decisions.GroupBy(d => d.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
            Console.WriteLine($"automation pass #{pass}: {watch.Elapsed.TotalMilliseconds:0} ms for {decisions.Count} containers with updates ({counts}); target ≤ 2000 ms");
        }
    }
}
