using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Inventory;
using Harbor.Controller.Web;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// The Containers page with 5,000 containers: the server-side query of every row (what the page
/// loads), the server-rendered first page (GET /containers as a signed-in browser, prerendered
/// HTML with QuickGrid's virtualized first rows), the in-memory filter as the user types, and the
/// server-rendered filtered page. Real controller, real SQLite; the inventory is written through the
/// same service an agent's snapshot goes through.
/// </summary>
internal static class UiBenchmark
{
    private const int ContainerCount = 5000;
    private const string Password = "a benchmark passphrase";

    public static async Task RunAsync()
    {
        using var data = new TempDirectory("bench-ui");
        await using var controller = await ControllerHost.StartAsync(data.Path);
        var inventory = controller.Services.GetRequiredService<InventoryService>();
        var now = DateTimeOffset.UtcNow;
        foreach (var host in Enumerable.Range(0, 10))
        {
            var hostId = $"bench-host-{host}";
            await inventory.HostConnectedAsync(new Hello
            {
                AgentId = hostId, AgentVersion = "bench", HostName = $"host-{host}", Os = "linux", Architecture = "amd64",
                EngineVersion = "27.0.0", EngineApiVersion = "1.47", Capabilities = { "inventory.v1" },
            }, now, CancellationToken.None);
            var snapshot = new InventorySnapshot();
            snapshot.Containers.AddRange(Enumerable.Range(0, ContainerCount / 10).Select(i => new Container
            {
                Id = $"{hostId}-{i:0000}",
                Name = $"app-{host}-{i:0000}",
                Image = $"registry.local/team-{i % 40}/service-{i % 97}:1.{i % 13}",
                ImageId = "sha256:" + new string('0', 64),
                State = ContainerState.Running,
                CreatedAt = Timestamp.FromDateTimeOffset(now.AddDays(-1)),
                Platform = new Platform { Os = "linux", Architecture = "amd64" },
                ComposeProject = $"stack-{i % 25}",
                ComposeService = $"svc-{i % 97}",
            }));
            await inventory.ApplySnapshotAsync(hostId, snapshot, now, CancellationToken.None);
        }

        await controller.FlushInventoryAsync();
        var queries = controller.Services.GetRequiredService<InventoryQueries>();
        var all = await InventoryPages.AllContainersAsync(queries, null, CancellationToken.None);
        Console.WriteLine($"{all.Count} containers stored");

        await controller.CreateUserAsync("runner", Password, "viewer");
        using var browser = await controller.SignInAsync("runner", Password);

        // The same rows through the paged API (COUNT + OFFSET per page): what the UI did before, kept as the yardstick.
        async Task PageThroughApiAsync()
        {
            for (var page = 1; ; page++)
            {
                var result = await queries.ListContainersAsync(new ContainerQuery { Page = page, PageSize = ContainerQuery.MaxPageSize }, null, CancellationToken.None);
                if (result.Items.Count < result.PageSize)
                {
                    return;
                }
            }
        }

        // Both reads share the row mapping: warm it past tiered JIT so whichever runs first is not penalised.
        for (var i = 0; i < 30; i++)
        {
            await PageThroughApiAsync();
            await InventoryPages.AllContainersAsync(queries, null, CancellationToken.None);
        }

        Report("query every container page by page (API, 1000 per page)", await TimeAsync(20, PageThroughApiAsync));
        Report("query every container in one query (the UI's read)", await TimeAsync(20, async () =>
            await InventoryPages.AllContainersAsync(queries, null, CancellationToken.None)));
        Report("dashboard counts by update status (one GROUP BY)", await TimeAsync(20, async () =>
            await queries.CountByUpdateStatusAsync(null, CancellationToken.None)));
        Report("GET /containers: query + server render of the first page", await TimeAsync(20, async () =>
        {
            using var response = await browser.GetAsync("/containers");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        }));
        var filter = new ContainerFilter { Search = "service-42" };
        var matched = filter.Apply(all).Count();
        Report($"filter 5,000 rows in memory (search, {matched} match)", await TimeAsync(500, () =>
        {
            _ = filter.Apply(all).Count();
            return Task.CompletedTask;
        }));
        var combined = new ContainerFilter { HostId = "bench-host-3", Project = "stack-7", Search = "team-1" };
        Report($"filter host + project + search ({combined.Apply(all).Count()} match)", await TimeAsync(500, () =>
        {
            _ = combined.Apply(all).Count();
            return Task.CompletedTask;
        }));
        Report("GET /containers?q=service-42: query + filter + render", await TimeAsync(20, async () =>
        {
            using var response = await browser.GetAsync("/containers?q=service-42");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        }));
    }

    private static async Task<List<double>> TimeAsync(int count, Func<Task> action)
    {
        for (var i = 0; i < Math.Min(5, count); i++)
        {
            await action();
        }

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static void Report(string what, List<double> milliseconds)
    {
        milliseconds.Sort();
        double At(double q) => milliseconds[(int)Math.Min(milliseconds.Count - 1, Math.Round(q * (milliseconds.Count - 1)))];
        Console.WriteLine($"{what,-62} n={milliseconds.Count,4}  p50 {At(0.5),8:0.00} ms  p95 {At(0.95),8:0.00} ms  max {milliseconds[^1],8:0.00} ms");
    }
}
