using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
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
/// <para>
/// Secure by default, like the product: the agent hub serves TLS and agents enroll. Unless told not
/// to, the host goes through the real first-run setup (the token from the log, an admin, then an
/// admin API key created through the API), so <see cref="Api"/> is an authenticated client. The key
/// is kept in a test-only file in the data directory so a restart on the same data can use it again.
/// </para>
/// </summary>
public sealed partial class ControllerHost : IAsyncDisposable
{
    public const string AdminUserName = "admin";
    public const string AdminPassword = "correct horse battery staple";

    /// <summary>Test fixture only: where the bootstrap admin key is kept between restarts of one data directory.</summary>
    public const string AdminKeyFile = "test-admin-api-key";

    private readonly WebApplication app;

    private ControllerHost(WebApplication app, string dataDirectory, CapturedLogs logs)
    {
        this.app = app;
        DataDirectory = dataDirectory;
        Logs = logs;
        var listeners = app.Services.GetRequiredService<ControllerListeners>();
        ApiAddress = listeners.ApiAddress;
        AgentHubAddress = listeners.AgentHubAddress;
        // No cookie jar: these clients must never pick up a session from a sign-in answer.
        Anonymous = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };
        Api = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri ApiAddress { get; }

    public Uri AgentHubAddress { get; }

    public string DataDirectory { get; }

    /// <summary>Authenticated as the bootstrap admin's API key (scope admin), unless started without bootstrap.</summary>
    public HttpClient Api { get; }

    /// <summary>No credentials at all.</summary>
    public HttpClient Anonymous { get; }

    public string? AdminApiKey { get; private set; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Starts a controller. Ports default to free ones; pass agentHubPort to reuse a port across a restart.</summary>
    public static async Task<ControllerHost> StartAsync(
        string dataDirectory,
        TimeProvider? timeProvider = null,
        IDictionary<string, string?>? settings = null,
        int agentHubPort = 0,
        int apiPort = 0,
        bool bootstrapAdmin = true,
        string environment = "Testing")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Harbor.Controller",
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var devMode = settings?.ContainsKey(ControllerListeners.DevTokenKey) == true;
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{apiPort}",
            [ControllerListeners.AgentListenUrlKey] = $"{(devMode ? "http" : "https")}://127.0.0.1:{agentHubPort}",
            ["Harbor:Controller:DataDirectory"] = dataDirectory,
            // Tests start checks themselves; a scheduled check would reach for registries the test never set up.
            ["Harbor:Controller:Checks:ScheduleEnabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Harbor"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var logs = new CapturedLogs();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddProvider(logs);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.AddServiceDefaults();
        builder.AddHarborController();
        var app = builder.Build();
        app.MapHarborController();
        await app.StartAsync();
        var host = new ControllerHost(app, dataDirectory, logs);
        if (bootstrapAdmin)
        {
            await host.BootstrapAdminAsync();
        }

        return host;
    }

    /// <summary>
    /// Waits until the API shows <paramref name="count"/> containers on the host. (A gRPC write
    /// completes when sent, not when the controller has read it, so a flush alone can race.)
    /// </summary>
    public Task<List<ApiContainer>> WaitForContainersAsync(string hostId, int count) =>
        Eventually.GetAsync(() => GetContainersAsync("host=" + hostId), list => list.Count == count, TimeSpan.FromSeconds(10), $"{count} containers stored for {hostId}");

    /// <summary>The one-time setup token from the log line a human would read, or null when none was printed.</summary>
    public string? SetupTokenFromLog() =>
        Logs.Lines.Where(l => l.EventId.Id == 7001).Select(l => SetupTokenPattern().Match(l.Message)).LastOrDefault(m => m.Success)?.Value;

    /// <summary>Signs in through the API; the client carries the session cookie and the CSRF header, like the web UI.</summary>
    public async Task<HttpClient> SignInAsync(string userName, string password, string? code = null)
    {
        var client = NewCookieClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password, code });
        await EnsureSuccessAsync(response, "sign in");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("X-Harbor-Csrf", body.GetProperty("csrfToken").GetString());
        return client;
    }

    /// <summary>A client with a cookie jar and no credentials yet (for setup and sign-in tests).</summary>
    public HttpClient NewCookieClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Creates an API key through the API (as the admin key) and returns a client that uses it.</summary>
    public async Task<HttpClient> ApiKeyClientAsync(params string[] scopes) => BearerClient(await CreateApiKeyAsync(Api, "test " + string.Join('+', scopes), scopes));

    public HttpClient BearerClient(string key)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<string> CreateApiKeyAsync(HttpClient client, string name, string[] scopes, int? expiresInDays = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name, scopes, expiresInDays });
        await EnsureSuccessAsync(response, "create an API key");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    public async Task CreateUserAsync(string userName, string password, string role, string[]? hostGroups = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/users", new { userName, password, role, hostGroups });
        await EnsureSuccessAsync(response, "create a user");
    }

    /// <summary>A single-use enrollment token from the API, for a real agent process.</summary>
    public async Task<string> CreateEnrollmentTokenAsync(double? expiresInHours = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/agents/enrollment-tokens", new { description = "test", expiresInHours });
        await EnsureSuccessAsync(response, "create an enrollment token");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Enrolls an agent id for real (token from the API, TLS, CSR) and returns its certificate.</summary>
    public async Task<TestAgentCredential> EnrollAgentAsync(string agentId, string hostName = "test-host") =>
        await TestAgentCredential.EnrollAsync(AgentHubAddress, await CreateEnrollmentTokenAsync(), agentId, hostName);

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

    /// <summary>Waits until the inventory shows the container <paramref name="name"/> of <paramref name="hostId"/> running.</summary>
    public Task<ApiContainer?> WaitForRunningContainerAsync(string hostId, string name, TimeSpan within) =>
        Eventually.GetAsync(
            async () => (await GetContainersAsync($"host={hostId}&name={name}")).FirstOrDefault(c => c.Name == name),
            c => c?.State == "running",
            within,
            $"{name} appears running in the inventory");

    public async Task<List<ApiContainer>> GetContainersAsync(string query = "")
    {
        var page = await GetJsonAsync<ApiPage<ApiContainer>>("/api/v1/containers?pageSize=1000" + (query.Length > 0 ? "&" + query : ""));
        return page.Items;
    }

    /// <summary>POSTs JSON (or nothing) and returns the response for the test to inspect.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string path, object? body = null) =>
        body is null ? Api.PostAsync(path, null) : Api.PostAsJsonAsync(path, body);

    /// <summary>PUTs JSON and returns the response for the test to inspect.</summary>
    public Task<HttpResponseMessage> PutJsonAsync(string path, object body) => Api.PutAsJsonAsync(path, body);

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
        Anonymous.Dispose();
        await app.StopAsync(TimeSpan.FromSeconds(10));
        await app.DisposeAsync();
    }

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The real first-run flow: setup token from the log → first admin → an admin API key through the API.</summary>
    private async Task BootstrapAdminAsync()
    {
        var keyFile = Path.Combine(DataDirectory, AdminKeyFile);
        if (File.Exists(keyFile))
        {
            UseAdminKey(await File.ReadAllTextAsync(keyFile));
            return;
        }

        var token = SetupTokenFromLog() ?? throw new InvalidOperationException("The controller printed no setup token, and no bootstrap key exists:\n" + Logs.Text);
        // The session cookie is passed on by hand, not through a cookie jar: its expiry follows the controller's
        // clock, which a test may have set in the past, and a jar would drop it as expired.
        using var session = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var setup = await session.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = AdminUserName, password = AdminPassword });
        await EnsureSuccessAsync(setup, "complete the first-run setup");
        var csrf = (await setup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("csrfToken").GetString();
        session.DefaultRequestHeaders.Add("X-Harbor-Csrf", csrf);
        var cookies = setup.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];
        session.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        var key = await CreateApiKeyAsync(session, "test bootstrap admin", ["admin"]);
        await File.WriteAllTextAsync(keyFile, key);
        UseAdminKey(key);
    }

    private void UseAdminKey(string key)
    {
        AdminApiKey = key.Trim();
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminApiKey);
    }

    [GeneratedRegex(@"hst_[A-Za-z0-9_\-]+")]
    private static partial Regex SetupTokenPattern();
}
