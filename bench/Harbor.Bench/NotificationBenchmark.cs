using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Events;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Bench;

/// <summary>
/// Notifications through the outbox to a signed webhook on a local receiver: a burst of 1,000 events
/// (time to the last acknowledged delivery, deliveries per second), then 50 single events one after
/// another (event → receiver latency). Targets: ≥ 200 deliveries/s; single-event p95 ≤ 100 ms.
/// </summary>
internal static class NotificationBenchmark
{
    private const int Events = 1000;
    private static readonly string[] JobTypes = ["job.*"];

    public static async Task RunAsync()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        using var data = new TempDirectory("bench-notify");
        await using var controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Harbor"] = "Warning",
        });

        using var channel = await controller.PostJsonAsync("/api/v1/notifications/channels",
            new { name = "bench", type = "webhook", settings = new { url = receiver.Url("/hook"), secret = "bench-signing-secret-0123" } });
        var channelId = (await channel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var rule = await controller.PostJsonAsync("/api/v1/notifications/rules", new { name = "all jobs", channelId, eventTypes = JobTypes });
        rule.EnsureSuccessStatusCode();

        var hub = controller.Services.GetRequiredService<EventHub>();
        var published = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Events; i++)
        {
            published["c" + i] = clock.ElapsedTicks;
            hub.Publish("job.succeeded", "bench-host", new { containerName = "c" + i, image = "nginx:1" });
        }

        var publishedIn = clock.Elapsed;
        var arrivals = new Dictionary<string, long>();
        while (receiver.Requests.Count < Events && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(10);
            foreach (var request in receiver.Requests.Skip(arrivals.Count))
            {
                arrivals[request.Json.GetProperty("data").GetProperty("event").GetProperty("containerName").GetString()!] = clock.ElapsedTicks;
            }
        }

        var total = clock.Elapsed;
        if (arrivals.Count == 0)
        {
            throw new InvalidOperationException("No notification reached the receiver.");
        }

        var latencies = arrivals.Select(a => (a.Value - published[a.Key]) * 1000.0 / Stopwatch.Frequency).Order().ToList();
        Console.WriteLine(
            $"notifications: {Events} events published in {publishedIn.TotalMilliseconds:0} ms; {arrivals.Count} delivered in {total.TotalMilliseconds:0} ms " +
            $"({arrivals.Count / total.TotalSeconds:0} deliveries/s, target ≥ 200); event → receiver p50 {Statistics.Percentile(latencies, 50):0} ms, " +
            $"p95 {Statistics.Percentile(latencies, 95):0} ms (queueing behind the burst); duplicates {receiver.Requests.Count - arrivals.Count}");

        var single = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var before = receiver.Requests.Count;
            var watch = Stopwatch.StartNew();
            hub.Publish("job.failed", "bench-host", new { containerName = "single-" + i, reason = "bench" });
            while (receiver.Requests.Count == before && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(1);
            }

            single.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"notifications: single event → receiver p50 {Statistics.Percentile(single, 50):0.0} ms, p95 {Statistics.Percentile(single, 95):0.0} ms (target p95 ≤ 100 ms)");
    }
}
