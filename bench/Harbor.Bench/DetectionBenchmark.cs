using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// Update detection against a local registry: 100 containers on 100 distinct images plus 100
/// containers sharing 10 images. Prints the check-all wall time and the registry requests by method.
/// Targets: ≤ 1 s for the check, manifest requests = distinct references (110), 0 GETs when HEAD answers.
/// </summary>
internal static class DetectionBenchmark
{
    public static async Task RunAsync()
    {
        await using var registry = await RegistryServer.StartAsync();
        var uploader = registry.Uploader;
        var containers = new List<Container>();
        var pushWatch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            var image = await uploader.PushImageAsync($"bench/distinct-{i}", "1", $"distinct-{i}");
            containers.Add(Container($"distinct-{i}", $"{registry.Host}/bench/distinct-{i}:1", $"{registry.Host}/bench/distinct-{i}@{image.Digest}"));
        }

        for (var i = 0; i < 10; i++)
        {
            var image = await uploader.PushImageAsync($"bench/shared-{i}", "1", $"shared-{i}");
            for (var j = 0; j < 10; j++)
            {
                containers.Add(Container($"shared-{i}-{j}", $"{registry.Host}/bench/shared-{i}:1", $"{registry.Host}/bench/shared-{i}@{image.Digest}"));
            }
        }

        Console.WriteLine($"pushed 110 images to {registry.Host} in {pushWatch.Elapsed.TotalSeconds:0.0} s; {containers.Count} containers");

        using var data = new TempDirectory("bench-detection");
        await using var controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?>
        {
            ["Harbor:Controller:Checks:ScheduleEnabled"] = "false",
            ["Logging:LogLevel:Harbor"] = "Warning",
        });
        var inventory = controller.Services.GetRequiredService<InventoryService>();
        await BenchHosts.ConnectAsync(inventory, "bench-host");
        var snapshot = new InventorySnapshot { Sequence = 1, Generation = 1 };
        snapshot.Containers.AddRange(containers);
        await inventory.ApplySnapshotAsync("bench-host", snapshot, DateTimeOffset.UtcNow, CancellationToken.None);
        await controller.FlushInventoryAsync();

        var checks = controller.Services.GetRequiredService<CheckService>();
        for (var round = 1; round <= 3; round++)
        {
            var before = Requests();
            var watch = Stopwatch.StartNew();
            var run = await checks.StartAsync(CheckScope.All, CheckTrigger.Api, CancellationToken.None)
                ?? throw new InvalidOperationException("The check queue is full.");
            var result = await checks.WaitAsync(run.Id, TimeSpan.FromMinutes(2));
            watch.Stop();
            var after = Requests();
            var head = after.Head - before.Head;
            var get = after.Get - before.Get;
            Console.WriteLine(
                $"check-all #{round}: {watch.Elapsed.TotalMilliseconds:0} ms wall, {result.Progress.Containers} containers, " +
                $"{result.Progress.References} distinct references, registry requests: {head} HEAD + {get} GET " +
                $"(target ≤ 1000 ms, {result.Progress.References} manifest requests, 0 GET); " +
                $"results: {result.Results.UpToDate} up to date, {result.Results.UpdateAvailable} updates, {result.Results.Error} errors");
        }
    }

    private static (double Head, double Get) Requests()
    {
        double Sum(string method) => DetectionMetrics.RegistryRequests.GetAllLabelValues()
            .Where(l => l[1] == method)
            .Sum(l => DetectionMetrics.RegistryRequests.WithLabels(l).Value);
        return (Sum("HEAD"), Sum("GET"));
    }

    private static Container Container(string name, string image, string repoDigest)
    {
        var container = new Container
        {
            Id = name,
            Name = name,
            Image = image,
            ImageId = "sha256:" + new string('e', 64),
            State = ContainerState.Running,
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Platform = new Platform { Os = "linux", Architecture = "amd64" },
        };
        container.RepoDigests.Add(repoDigest);
        return container;
    }
}
