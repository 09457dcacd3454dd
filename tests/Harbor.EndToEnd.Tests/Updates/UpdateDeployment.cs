using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Updates;

/// <summary>
/// Everything an update test needs, shared by one test class: a real registry, the real controller
/// (in-process, real ports, real SQLite), the real agent binary on the real engine, and test images
/// built once. Each test publishes its own repository so tests never see each other's tags.
/// </summary>
public class UpdateDeployment : IAsyncLifetime
{
    public const string AppV1 = """
        FROM harbor-test/busybox:base
        ENV GREETING=v1-default MODE=prod
        LABEL app.version=1 app.vendor=harbor
        RUN busybox mkdir -p /www && echo v1 > /www/version
        EXPOSE 80
        CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
        """;

    public const string AppV2 = """
        FROM harbor-test/busybox:base
        ENV GREETING=v2-default MODE=prod
        LABEL app.version=2 app.vendor=harbor
        RUN busybox mkdir -p /www && echo v2 > /www/version
        EXPOSE 80
        CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
        """;

    /// <summary>Starts, then exits with code 3 after a second: a release that crashes.</summary>
    public const string Exits = """
        FROM harbor-test/busybox:base
        ENV GREETING=broken
        LABEL app.version=broken
        CMD ["sh", "-c", "echo starting; sleep 1; exit 3"]
        """;

    /// <summary>Runs, but its healthcheck always fails.</summary>
    public const string Unhealthy = """
        FROM harbor-test/busybox:base
        LABEL app.version=unhealthy
        HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD ["false"]
        CMD ["httpd", "-f", "-p", "80", "-h", "/"]
        """;

    private readonly TempDirectory data = new("update");
    private readonly ConcurrentBag<string> imageReferences = [];
    private readonly ConcurrentBag<string> networks = [];
    private readonly ConcurrentBag<string> volumes = [];
    // Blue-green tests need the feature flag; no other test asks for that strategy.
    private readonly Dictionary<string, string?> controllerSettings = new() { ["Harbor:Features:enable_blue_green"] = "true" };
    private readonly Dictionary<string, string> agentEnvironment = [];

    public UpdateDeployment()
    {
    }

    /// <summary>A deployment whose controller and agent get extra settings (e.g. where to export telemetry).</summary>
    internal UpdateDeployment(IReadOnlyDictionary<string, string> controllerSettings, IReadOnlyDictionary<string, string> agentEnvironment)
    {
        foreach (var (key, value) in controllerSettings)
        {
            this.controllerSettings[key] = value;
        }

        foreach (var (key, value) in agentEnvironment)
        {
            this.agentEnvironment[key] = value;
        }
    }

    private string enrollmentToken = "";

    public RegistryServer Registry { get; private set; } = null!;

    /// <summary>Extra controller settings for a derived deployment (e.g. feature flags).</summary>
    protected virtual IDictionary<string, string?>? ControllerSettings => null;

    /// <summary>This deployment's settings, then a subclass's on top.</summary>
    private Dictionary<string, string?> AllControllerSettings()
    {
        var all = new Dictionary<string, string?>(controllerSettings);
        foreach (var (key, value) in ControllerSettings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }

    public ControllerHost Controller { get; private set; } = null!;

    public AgentProcess Agent { get; private set; } = null!;

    public string HostId { get; private set; } = "";

    /// <summary>Label on every container a test creates, so cleanup removes exactly those.</summary>
    public string OwnerLabel => $"{TestImages.TestLabel}={data.Path}";

    public string Combine(params string[] parts) => data.Combine(parts);

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        Registry = await RegistryServer.StartAsync();
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), settings: AllControllerSettings());
        enrollmentToken = await Controller.CreateEnrollmentTokenAsync();
        await StartAgentAsync();
    }

    /// <summary>Starts the agent (again, same state directory). With <paramref name="waitOnline"/> it waits for its host to be online.</summary>
    public async Task StartAgentAsync(IDictionary<string, string>? environment = null, bool waitOnline = true)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var merged = new Dictionary<string, string>(agentEnvironment);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        // The same token on every start: the agent enrolls once and afterwards loads its certificate.
        Agent = AgentProcess.Start(Controller.AgentHubAddress, data.Combine("agent"), enrollmentToken, merged);
        if (!waitOnline)
        {
            return;
        }

        // Connected after this start: a previous agent's stream may not have been noticed as gone yet.
        var host = await Eventually.GetAsync(
            async () => (await Controller.GetHostsAsync()).FirstOrDefault(h => h.Online && h.ConnectedAt >= startedAt && (HostId.Length == 0 || h.Id == HostId)),
            h => h is not null,
            TimeSpan.FromSeconds(30),
            "the agent connects. Agent output:\n" + Agent.Output);
        HostId = host!.Id;
    }

    /// <summary>Restarts the controller on the same data and agent port; the agent reconnects by itself.</summary>
    public async Task RestartControllerAsync()
    {
        var port = Controller.AgentHubAddress.Port;
        await Controller.DisposeAsync();
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), settings: AllControllerSettings(), agentHubPort: port);
    }

    /// <summary>Builds (once per engine: the tag is named after the Dockerfile) a test image; returns its id.</summary>
    public static Task<string> BuildAsync(string dockerfile) =>
        TestImages.BuildAsync(
            "harbor-test/update:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dockerfile)))[..12],
            dockerfile);

    /// <summary>
    /// Pushes the two images as tags 1 and 2 of a fresh repository, then forgets tag 2 locally so the
    /// agent has to pull the new digest from the registry.
    /// </summary>
    public Task<Release> PublishAsync(string oldDockerfile, string newDockerfile, RegistryServer? registry = null) =>
        PublishAsync(registry ?? Registry, oldDockerfile, newDockerfile, imageReferences.Add);

    /// <summary>The same for any registry; <paramref name="track"/> gets each local reference to remove at cleanup.</summary>
    public static async Task<Release> PublishAsync(RegistryServer registry, string oldDockerfile, string newDockerfile, Action<string> track)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(track);
        var oldImage = await BuildAsync(oldDockerfile);
        var newImage = await BuildAsync(newDockerfile);
        var repository = $"{TestNames.Unique("repo")}/app";
        var reference = $"{registry.Host}/{repository}";
        var oldDigest = await registry.PushAsync(oldImage, repository, "1");
        var newDigest = await registry.PushAsync(newImage, repository, "2");
        foreach (var r in new[] { $"{reference}:1", $"{reference}@{oldDigest}", $"{reference}@{newDigest}", $"{reference}:2" })
        {
            track(r);
        }

        await DockerCli.RunAsync("rmi", $"{reference}:2", $"{reference}@{newDigest}");
        return new Release(reference, $"{reference}:1", oldDigest, newDigest, oldImage, newImage);
    }

    /// <summary>Removes this image reference when the class's tests are done.</summary>
    public void TrackImage(string reference) => imageReferences.Add(reference);

    public async Task<string> CreateNetworkAsync(string? subnet = null)
    {
        var name = TestNames.Unique("net");
        var arguments = new List<string> { "network", "create", "--label", OwnerLabel };
        if (subnet is not null)
        {
            arguments.AddRange(["--subnet", subnet]);
        }

        arguments.Add(name);
        var result = await DockerCli.RunAsync(arguments, null);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker network create failed: {result.Error}");
        }

        networks.Add(name);
        return name;
    }

    /// <summary>A network with a /24 subnet of its own (for static addresses); returns its name and the first three octets.</summary>
    public async Task<(string Network, string Prefix)> CreateNetworkWithSubnetAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var prefix = $"10.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(1, 250)}";
            try
            {
                return (await CreateNetworkAsync(prefix + ".0/24"), prefix);
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // The subnet overlaps one in use; try another.
            }
        }
    }

    public async Task<string> CreateVolumeAsync()
    {
        var name = TestNames.Unique("vol");
        await DockerCli.CheckedAsync("volume", "create", "--label", OwnerLabel, name);
        volumes.Add(name);
        return name;
    }

    /// <summary>docker run -d --init --name … -l owner …: --init so a stop takes milliseconds, not the 10 s grace period.</summary>
    public async Task<string> RunAsync(string name, params string[] arguments) =>
        await DockerCli.CheckedAsync(["run", "-d", "--init", "--name", name, "-l", OwnerLabel, .. arguments]);

    /// <summary>Waits until the controller's inventory shows the container running.</summary>
    public Task<ApiContainer?> WaitForContainerAsync(string name) => Controller.WaitForRunningContainerAsync(HostId, name, TimeSpan.FromSeconds(10));

    public Task<HttpResponseMessage> PostUpdateAsync(string container, object body) =>
        Controller.PostJsonAsync($"/api/v1/containers/{HostId}/{container}/update", body);

    /// <summary>Starts an update (asserting 202) and returns the job as created.</summary>
    public async Task<ApiJob> StartUpdateAsync(string container, object body)
    {
        await WaitForContainerAsync(container);
        using var response = await PostUpdateAsync(container, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST update answered {(int)response.StatusCode}: {text}");
        return (await response.Content.ReadFromJsonAsync<ApiJob>())!;
    }

    /// <summary>Starts an update and waits for its outcome.</summary>
    public async Task<ApiJob> UpdateAsync(string container, object body)
    {
        var job = await StartUpdateAsync(container, body);
        return await Controller.WaitForJobAsync(job.Id, TimeSpan.FromSeconds(90));
    }

    public static async Task<string> InspectAsync(string container, string format) =>
        await DockerCli.CheckedAsync("inspect", "--format", format, container);

    /// <summary>Names of this stack's containers whose name starts with the prefix (leftovers such as *-harbor-old-*).</summary>
    public async Task<List<string>> ContainerNamesAsync(string prefix)
    {
        var output = await DockerCli.CheckedAsync("ps", "-a", "--filter", "label=" + OwnerLabel, "--format", "{{.Names}}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order()];
    }

    public async ValueTask DisposeAsync()
    {
        await DockerCli.RemoveContainersWithLabelAsync(OwnerLabel);
        foreach (var network in networks)
        {
            await DockerCli.RunAsync("network", "rm", network);
        }

        foreach (var volume in volumes)
        {
            await DockerCli.RunAsync("volume", "rm", volume);
        }

        if (!imageReferences.IsEmpty)
        {
            await DockerCli.RunAsync(["rmi", .. imageReferences], null);
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }

        data.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>One published repository: tag 1 is the running release, tag 2's digest the update.</summary>
public sealed record Release(string Repository, string OldTag, string OldDigest, string NewDigest, string OldImageId, string NewImageId);
