using System.Net.Http.Json;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Checks;

/// <summary>A real controller (real ports, real SQLite) plus real registries: anonymous and token-auth.</summary>
public sealed class DetectionFixture : IAsyncLifetime
{
    public const string WebhookSecret = "webhook-secret-for-tests-0123";
    public const string User = "harbor";
    public const string Password = "token-pass-0123";

    private readonly TempDirectory data = new("detection");

    public RegistryServer Registry { get; private set; } = null!;

    public RegistryServer TokenRegistry { get; private set; } = null!;

    public ControllerHost Controller { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync();
        TokenRegistry = await RegistryServer.StartWithTokenAuthAsync(User, Password);
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), settings: new Dictionary<string, string?>
        {
            ["Harbor:Controller:Checks:ScheduleEnabled"] = "false",
            ["Harbor:Controller:Webhooks:Secret"] = WebhookSecret,
            ["Harbor:Controller:Registries:UnreachableCooldown"] = "00:00:01",
            // Small tag pages, so semver tracking really follows the registry's pagination.
            ["Harbor:Controller:Registries:TagsPageSize"] = "3",
        });
    }

    /// <summary>Reports a host and its containers through the controller's real inventory path.</summary>
    public Task ReportAsync(string hostId, params Container[] containers) => ReportAsync(Controller, hostId, containers);

    /// <summary>Reports a host and its containers to <paramref name="controller"/> through its real inventory path.</summary>
    public static async Task ReportAsync(ControllerHost controller, string hostId, params Container[] containers)
    {
        var inventory = controller.Services.GetRequiredService<InventoryService>();
        await inventory.HostConnectedAsync(new Hello
        {
            AgentId = hostId,
            AgentVersion = "0.1.0",
            HostName = hostId,
            Os = "linux",
            Architecture = "x86_64",
            EngineVersion = "27.0.0",
            EngineApiVersion = "1.47",
        }, DateTimeOffset.UtcNow, CancellationToken.None);
        var snapshot = new InventorySnapshot { Sequence = 1, Generation = 1 };
        snapshot.Containers.AddRange(containers);
        await inventory.ApplySnapshotAsync(hostId, snapshot, DateTimeOffset.UtcNow, CancellationToken.None);
        await controller.FlushInventoryAsync();
    }

    public static Container Container(string id, string image, string imageId = "", string platform = "amd64", params string[] repoDigests) =>
        Container(id, image, new Dictionary<string, string>(), imageId, platform, repoDigests);

    public static Container Container(string id, string image, IDictionary<string, string> labels, string imageId = "", string platform = "amd64", params string[] repoDigests)
    {
        var parts = platform.Split('/');
        var container = new Container
        {
            Id = id,
            Name = id,
            Image = image,
            ImageId = imageId.Length > 0 ? imageId : "sha256:" + new string('e', 64),
            State = ContainerState.Running,
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Platform = new Platform { Os = "linux", Architecture = parts[0], Variant = parts.Length > 1 ? parts[1] : "" },
        };
        container.RepoDigests.AddRange(repoDigests);
        container.Labels.Add(labels);
        return container;
    }

    /// <summary>POST /api/v1/checks and wait for the run to finish.</summary>
    public async Task<ApiCheckRun> CheckAsync(object? body = null)
    {
        using var response = await Controller.Api.PostAsJsonAsync("/api/v1/checks", body ?? new { });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<ApiCheckRun>())!;
        return await WaitAsync(run.Id);
    }

    public async Task<ApiCheckRun> WaitAsync(string id) =>
        (await Eventually.GetAsync(() => Controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{id}"), r => r.Status is "completed" or "failed",
            TimeSpan.FromSeconds(60), $"check {id} finishes"))!;

    public async Task<ApiContainerWithStatus> ContainerAsync(string hostId, string id) =>
        await Controller.GetJsonAsync<ApiContainerWithStatus>($"/api/v1/containers/{hostId}/{id}");

    internal CheckService Checks => Controller.Services.GetRequiredService<CheckService>();

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Registry.DisposeAsync();
        await TokenRegistry.DisposeAsync();
        data.Dispose();
    }
}

public sealed record ApiCheckRun(string Id, string TriggeredBy, ApiCheckScope Scope, string Status, ApiCheckProgress Progress, ApiCheckResults Results, int RegistryRequests, string? Error);

public sealed record ApiCheckScope(string Kind, string? HostId, string? ContainerId, List<string>? Repositories, List<ApiCheckTarget>? Containers = null);

public sealed record ApiCheckTarget(string HostId, string ContainerId);

public sealed record ApiCheckProgress(int Containers, int References, int ReferencesDone);

public sealed record ApiCheckResults(int UpToDate, int UpdateAvailable, int Pinned, int Local, int Error);

public sealed record ApiUpdateCheck(string Status, string? Reference, string? RemoteDigest, string? Error, DateTimeOffset? CheckedAt, string? TargetTag = null);

public sealed record ApiContainerWithStatus(string HostId, string Id, string Name, string Image, ApiUpdateCheck Update);
