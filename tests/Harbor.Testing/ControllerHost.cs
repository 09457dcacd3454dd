using System.Net.Http.Json;
using Harbor.Controller.Extensions;
using Harbor.Controller.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harbor.Testing;

/// <summary>
/// The real controller (same registrations as Program.cs) on real Kestrel ports with a real SQLite
/// file, hosted in the test process so a test can swap the clock and restart it on the same data.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    public const string DefaultToken = "test-agent-token-0123456789";

    private readonly WebApplication app;

    private ControllerHost(WebApplication app, string dataDirectory)
    {
        this.app = app;
        DataDirectory = dataDirectory;
        var listeners = app.Services.GetRequiredService<ControllerListeners>();
        ApiAddress = listeners.ApiAddress;
        AgentHubAddress = listeners.AgentHubAddress;
        Api = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri ApiAddress { get; }

    public Uri AgentHubAddress { get; }

    public string DataDirectory { get; }

    public HttpClient Api { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Starts a controller. Ports default to free ones; pass agentHubPort to reuse a port across a restart.</summary>
    public static async Task<ControllerHost> StartAsync(
        string dataDirectory,
        TimeProvider? timeProvider = null,
        IDictionary<string, string?>? settings = null,
        int agentHubPort = 0,
        int apiPort = 0)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Harbor.Controller",
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{apiPort}",
            [ControllerListeners.AgentListenUrlKey] = $"http://127.0.0.1:{agentHubPort}",
            ["Harbor:Controller:DataDirectory"] = dataDirectory,
            ["Harbor:Controller:Agents:Token"] = DefaultToken,
            // Tests start checks themselves; a scheduled check would reach for registries the test never set up.
            ["Harbor:Controller:Checks:ScheduleEnabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Harbor"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.AddServiceDefaults();
        builder.AddHarborController();
        var app = builder.Build();
        app.MapHarborController();
        await app.StartAsync();
        return new ControllerHost(app, dataDirectory);
    }

    /// <summary>
    /// Waits until the API shows <paramref name="count"/> containers on the host. (A gRPC write
    /// completes when sent, not when the controller has read it, so a flush alone can race.)
    /// </summary>
    public Task<List<ApiContainer>> WaitForContainersAsync(string hostId, int count) =>
        Eventually.GetAsync(() => GetContainersAsync("host=" + hostId), list => list.Count == count, TimeSpan.FromSeconds(10), $"{count} containers stored for {hostId}");

    /// <summary>Waits until every inventory message received so far is committed to SQLite.</summary>
    public Task FlushInventoryAsync() => app.Services.GetRequiredService<InventoryWriteQueue>().FlushAsync();

    public async Task<T> GetJsonAsync<T>(string path)
    {
        using var response = await Api.GetAsync(path);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public Task<List<ApiHost>> GetHostsAsync() => GetJsonAsync<List<ApiHost>>("/api/v1/hosts");

    public async Task<List<ApiContainer>> GetContainersAsync(string query = "")
    {
        var page = await GetJsonAsync<ApiPage<ApiContainer>>("/api/v1/containers?pageSize=1000" + (query.Length > 0 ? "&" + query : ""));
        return page.Items;
    }

    /// <summary>POSTs JSON (or nothing) and returns the response for the test to inspect.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string path, object? body = null) =>
        body is null ? Api.PostAsync(path, null) : Api.PostAsJsonAsync(path, body);

    /// <summary>The value of one series on /metrics as Prometheus would scrape it, e.g. <c>harbor_update_jobs_total{outcome="failed"}</c>; 0 when absent.</summary>
    public async Task<double> MetricAsync(string series)
    {
        var text = await Api.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<ApiJob> GetJobAsync(string jobId) => GetJsonAsync<ApiJob>("/api/v1/jobs/" + jobId);

    /// <summary>Waits until the job has an outcome and returns it with its steps and events.</summary>
    public Task<ApiJob> WaitForJobAsync(string jobId, TimeSpan within) =>
        Eventually.GetAsync(() => GetJobAsync(jobId), j => j.State == "finished", within, $"job {jobId} finishes");

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await app.StopAsync(TimeSpan.FromSeconds(10));
        await app.DisposeAsync();
    }
}
