using System.Diagnostics;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.Bench;

/// <summary>
/// Issue 3's inventory benchmark: 100 containers already running, then agent and controller start.
/// Prints time to all-visible, delta latency (docker start → visible through the API) and RSS.
/// Targets: all 100 visible ≤ 1 s after the agent connects, delta p95 ≤ 200 ms, controller ≤ 100 MB,
/// agent ≤ 40 MB RSS.
/// </summary>
internal static class InventoryBenchmark
{
    private const int ContainerCount = 100;
    private const int DeltaSamples = 50;
    private const string Token = "bench-agent-token-0123456789";

    public static async Task RunAsync()
    {
        await TestImages.EnsureBaseAsync();
        using var data = new TempDirectory("bench-inventory");
        var label = $"{TestImages.TestLabel}={data.Path}";
        var prefix = TestNames.Unique("inv");
        try
        {
            Console.WriteLine($"starting {ContainerCount} containers…");
            await Parallel.ForEachAsync(Enumerable.Range(0, ContainerCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
                await DockerCli.CheckedAsync("run", "-d", "--name", $"{prefix}-{i:000}", "-l", label, TestImages.Base, "sleep", "36000"));

            var apiPort = RegistryServer.FreePort();
            var hubPort = RegistryServer.FreePort();
            await using var controller = ServiceProcess.Start("Harbor.Controller", new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{apiPort}",
                ["Harbor__Controller__Agents__ListenUrl"] = $"http://127.0.0.1:{hubPort}",
                ["Harbor__Controller__DataDirectory"] = data.Combine("controller"),
                // Development mode: the agent authenticates with the shared token over plain HTTP/2, as under the AppHost.
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Harbor__Controller__Agents__DevToken"] = Token,
            });
            using var api = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"),
            };
            await Eventually.TrueAsync(async () => await Healthy(api), TimeSpan.FromSeconds(30), "controller healthy");
            await SignInAsync(api, data.Combine("controller"));

            var agentStarted = Stopwatch.StartNew();
            await using var agent = ServiceProcess.Start("Harbor.Agent", new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Harbor__Agent__ControllerUrl"] = $"http://127.0.0.1:{hubPort}",
                ["Harbor__Agent__DevToken"] = Token,
                ["Harbor__Agent__StateDirectory"] = data.Combine("agent"),
            });

            TimeSpan? connected = null;
            TimeSpan allVisible;
            while (true)
            {
                if (connected is null && (await api.GetFromJsonAsync<List<ApiHost>>("/api/v1/hosts"))!.Any(h => h.Online))
                {
                    connected = agentStarted.Elapsed;
                }

                var page = await api.GetFromJsonAsync<ApiPage<ApiContainer>>($"/api/v1/containers?name={prefix}&pageSize=1");
                if (page!.Total >= ContainerCount)
                {
                    allVisible = agentStarted.Elapsed;
                    break;
                }

                if (agentStarted.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"only {page.Total} of {ContainerCount} visible after 2 minutes");
                }

                await Task.Delay(5);
            }

            connected ??= allVisible;
            Console.WriteLine($"agent start → connected:            {connected.Value.TotalMilliseconds,8:0} ms");
            Console.WriteLine($"agent start → all {ContainerCount} visible:        {allVisible.TotalMilliseconds,8:0} ms");
            Console.WriteLine($"connected → all {ContainerCount} visible:          {(allVisible - connected.Value).TotalMilliseconds,8:0} ms   (target ≤ 1000 ms)");

            var (fromCall, fromStarted) = await MeasureDeltasAsync(api, prefix);
            var engineOnly = fromCall.Zip(fromStarted, (total, harbor) => total - harbor).ToList();
            Console.WriteLine($"engine's own start call (no Harbor in it):          p50 {Statistics.Percentile(engineOnly, 50),5:0} ms  p95 {Statistics.Percentile(engineOnly, 95),5:0} ms");
            Console.WriteLine($"delta latency, start request → visible, over {DeltaSamples}: p50 {Statistics.Percentile(fromCall, 50),5:0} ms  p95 {Statistics.Percentile(fromCall, 95),5:0} ms");
            Console.WriteLine($"delta latency, engine started it → visible:     p50 {Statistics.Percentile(fromStarted, 50),5:0} ms  p95 {Statistics.Percentile(fromStarted, 95),5:0} ms   (target p95 ≤ 200 ms)");

            // Let the allocation burst settle as it would in steady state, then read memory.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var controllerMemory = controller.MemoryMiB();
            var agentMemory = agent.MemoryMiB();
            Console.WriteLine($"controller RSS: {controllerMemory.Current,6:0.0} MiB (peak {controllerMemory.Peak:0.0})   (target ≤ 100 MB)");
            Console.WriteLine($"agent RSS:      {agentMemory.Current,6:0.0} MiB (peak {agentMemory.Peak:0.0})   (target ≤ 40 MB)");
        }
        finally
        {
            await DockerCli.RemoveContainersWithLabelAsync(label);
        }
    }

    /// <summary>
    /// Stops a container, then starts it through the Engine API and times until the API shows it
    /// running: once from the start request (includes the engine's own start time) and once from the
    /// engine's answer (Harbor's share: event → agent → controller → SQLite → API).
    /// </summary>
    private static async Task<(List<double> FromCall, List<double> FromStarted)> MeasureDeltasAsync(HttpClient api, string prefix)
    {
        using var engine = new EngineApi();
        var fromCall = new List<double>();
        var fromStarted = new List<double>();
        for (var i = 0; i < DeltaSamples; i++)
        {
            var name = $"{prefix}-{i:000}";
            await engine.StopAsync(name);
            await Eventually.TrueAsync(async () => await StateAsync(api, name) == "exited", TimeSpan.FromSeconds(10), $"{name} exited");

            var clock = Stopwatch.StartNew();
            await engine.StartAsync(name);
            var started = clock.Elapsed;
            while (await StateAsync(api, name) != "running")
            {
                await Task.Delay(1);
            }

            var visible = clock.Elapsed;
            fromCall.Add(visible.TotalMilliseconds);
            fromStarted.Add((visible - started).TotalMilliseconds);
        }

        return (fromCall, fromStarted);
    }

    private static async Task<string?> StateAsync(HttpClient api, string name) =>
        (await api.GetFromJsonAsync<ApiPage<ApiContainer>>($"/api/v1/containers?name={name}"))!.Items.FirstOrDefault(c => c.Name == name)?.State;

    /// <summary>The first-run setup with the token the controller wrote to its data directory; the session cookie signs the reads in.</summary>
    private static async Task SignInAsync(HttpClient api, string controllerData)
    {
        var token = (await File.ReadAllTextAsync(Path.Combine(controllerData, "setup-token"))).Trim();
        using var response = await api.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = ControllerHost.AdminUserName, password = ControllerHost.AdminPassword });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"first-run setup: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<bool> Healthy(HttpClient api)
    {
        try
        {
            return (await api.GetAsync("/health")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
