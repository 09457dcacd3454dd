using System.Net;
using System.Net.Http.Json;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.AspNetCore.Http;

namespace Harbor.Controller.Tests.Registries;

/// <summary>
/// A registry that rate-limits Harbor (429, Retry-After one hour, its limit headers) and a real
/// controller restarted on the same SQLite file: what the registry said is still shown, and checks
/// after the restart still leave the registry alone until the pause ends.
/// </summary>
public sealed class RateLimitPersistenceTests : IAsyncLifetime
{
    private const string HostId = "rate-limited-host";
    private readonly TempDirectory data = new("rate-limits");
    private StubHttpServer registry = null!;
    private ControllerHost controller = null!;
    private int manifestRequests;

    public async ValueTask InitializeAsync()
    {
        registry = await StubHttpServer.StartAsync(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/v2/app/manifests"))
            {
                Interlocked.Increment(ref manifestRequests);
            }

            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers["Retry-After"] = "3600";
            context.Response.Headers["RateLimit-Limit"] = "100;w=21600";
            context.Response.Headers["RateLimit-Remaining"] = "0;w=21600";
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\"}]}");
        });
        controller = await ControllerHost.StartAsync(data.Path);
    }

    [Fact]
    public async Task RateLimitState_AfterAControllerRestart_IsStillShown_AndChecksStillLeaveTheRegistryAlone()
    {
        var image = $"{registry.Host}/app:1";
        await DetectionFixture.ReportAsync(controller, HostId, Limited(image));
        var before = DateTimeOffset.UtcNow;

        var first = await CheckAsync();
        Assert.Equal("error", first.Status);
        Assert.Contains("rate limiting", first.Error, StringComparison.Ordinal);
        var asked = manifestRequests;
        Assert.True(asked >= 1);
        var seen = await LimitAsync();
        Assert.Equal((0L, 100L), (seen.Remaining, seen.Limit));
        Assert.InRange(seen.PausedUntil!.Value, before.AddMinutes(59), before.AddMinutes(61));

        await controller.DisposeAsync();
        controller = await ControllerHost.StartAsync(data.Path);
        // The agent comes back with its containers: they are checkable again (a check skips nothing on their account).
        await DetectionFixture.ReportAsync(controller, HostId, Limited(image));

        // The Registries page's source (and the API) shows what the registry said before the restart.
        var restored = await LimitAsync();
        Assert.Equal((seen.Remaining, seen.Limit, seen.PausedUntil), (restored.Remaining, restored.Limit, restored.PausedUntil));
        Assert.Equal(seen.ObservedAt!.Value.ToUnixTimeMilliseconds(), restored.ObservedAt!.Value.ToUnixTimeMilliseconds());

        // The Retry-After pause holds: the check fails at once, saying until when, and asks the registry nothing.
        var second = await CheckAsync();
        Assert.Equal("error", second.Status);
        Assert.Contains("asked Harbor to stop sending requests until", second.Error, StringComparison.Ordinal);
        Assert.Equal(asked, manifestRequests);
    }

    /// <summary>A container of an image pulled from the registry (it has a repo digest to compare, so detection asks the registry).</summary>
    private Harbor.Protos.Agent.V1.Container Limited(string image) =>
        DetectionFixture.Container("limited", image, repoDigests: $"{registry.Host}/app@sha256:{new string('a', 64)}");

    private async Task<ApiUpdateCheck> CheckAsync()
    {
        using var response = await controller.Api.PostAsJsonAsync("/api/v1/checks", new { hostId = HostId, containerId = "limited" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<ApiCheckRun>(TestContext.Current.CancellationToken))!;
        await Eventually.GetAsync(() => controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{run.Id}"), r => r.Status is "completed" or "failed",
            TimeSpan.FromSeconds(30), "the check finishes");
        return (await controller.GetJsonAsync<ApiContainerWithStatus>($"/api/v1/containers/{HostId}/limited")).Update;
    }

    private async Task<ApiRateLimit> LimitAsync() =>
        Assert.Single(await controller.GetJsonAsync<List<ApiRateLimit>>("/api/v1/registries/rate-limits"), l => l.Registry == registry.Host);

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        await registry.DisposeAsync();
        data.Dispose();
    }

    private sealed record ApiRateLimit(string Registry, long? Remaining, long? Limit, DateTimeOffset? ObservedAt, DateTimeOffset? PausedUntil);
}
