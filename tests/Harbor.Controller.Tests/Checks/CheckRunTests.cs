using System.Net;
using System.Net.Http.Json;
using System.Text;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Checks;

/// <summary>Check runs end to end through the API: real controller, real SQLite, real registries.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class CheckRunTests(DetectionFixture stack) : IClassFixture<DetectionFixture>
{
    [Fact]
    public async Task CheckHost_EachKindOfContainer_GetsTheRightStatusAndReason()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var r = stack.Registry.Host;
        var up = stack.Registry.Uploader;
        var current = await up.PushImageAsync($"{host}/web", "1", "web-v1");
        var old = await up.PushImageAsync($"{host}/api", "1", "api-v1");
        var newer = await up.PushImageAsync($"{host}/api", "1", "api-v2");
        var gone = await up.PushImageAsync($"{host}/gone", "1", "gone-v1");
        await up.DeleteManifestAsync($"{host}/gone", gone.Digest);
        var deadRegistry = $"127.0.0.1:{RegistryServer.FreePort()}";

        await stack.ReportAsync(host,
            DetectionFixture.Container("web-1", $"{r}/{host}/web:1", repoDigests: $"{r}/{host}/web@{current.Digest}"),
            DetectionFixture.Container("web-2", $"{r}/{host}/web:1", repoDigests: $"{r}/{host}/web@{current.Digest}"),
            DetectionFixture.Container("web-3", $"{r}/{host}/web:1", repoDigests: $"{r}/{host}/web@{current.Digest}"),
            DetectionFixture.Container("api", $"{r}/{host}/api:1", repoDigests: $"{r}/{host}/api@{old.Digest}"),
            DetectionFixture.Container("pinned", $"{r}/{host}/api@{old.Digest}", repoDigests: $"{r}/{host}/api@{old.Digest}"),
            DetectionFixture.Container("built", "myapp:dev"),
            DetectionFixture.Container("gone", $"{r}/{host}/gone:1", repoDigests: $"{r}/{host}/gone@{gone.Digest}"),
            DetectionFixture.Container("down", $"{deadRegistry}/app:1", repoDigests: $"{deadRegistry}/app@{current.Digest}"),
            DetectionFixture.Container("locked", $"{stack.TokenRegistry.Host}/{host}/secret:1", repoDigests: $"{stack.TokenRegistry.Host}/{host}/secret@{current.Digest}"));

        var run = await stack.CheckAsync(new { hostId = host });

        Assert.Equal("completed", run.Status);
        Assert.Equal(new ApiCheckResults(UpToDate: 3, UpdateAvailable: 1, Pinned: 1, Local: 1, Error: 3), run.Results);
        Assert.Equal(9, run.Progress.Containers);
        // One question per distinct (registry, repository, tag): web, api, gone, down, locked — however many containers share them.
        Assert.Equal(5, run.Progress.References);

        Assert.Equal("up-to-date", (await stack.ContainerAsync(host, "web-2")).Update.Status);
        var api = (await stack.ContainerAsync(host, "api")).Update;
        Assert.Equal("update-available", api.Status);
        Assert.Equal(newer.Digest, api.RemoteDigest);
        Assert.NotNull(api.CheckedAt);
        Assert.Equal("pinned", (await stack.ContainerAsync(host, "pinned")).Update.Status);
        var built = (await stack.ContainerAsync(host, "built")).Update;
        Assert.Equal("local", built.Status);
        Assert.Contains("built or loaded locally", built.Error);
        var deleted = (await stack.ContainerAsync(host, "gone")).Update;
        Assert.Equal("error", deleted.Status);
        Assert.Contains("has no tag '1'", deleted.Error);
        var down = (await stack.ContainerAsync(host, "down")).Update;
        Assert.Equal("error", down.Status);
        Assert.Contains("unreachable", down.Error);
        var locked = (await stack.ContainerAsync(host, "locked")).Update;
        Assert.Equal("error", locked.Status);
        Assert.Contains("requires credentials", locked.Error);

        var withUpdates = await stack.Controller.GetContainersAsync($"host={host}&updateStatus=update-available");
        Assert.Equal(["api"], withUpdates.Select(c => c.Name));
        Assert.Equal(3, (await stack.Controller.GetContainersAsync($"host={host}&updateStatus=error")).Count);
    }

    [Fact]
    public async Task Check_ImageSharedByManyContainers_AsksTheRegistryOnceAndSendsNoGet()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var r = stack.Registry.Host;
        var image = await stack.Registry.Uploader.PushImageAsync($"{host}/shared", "1", "shared");
        await stack.ReportAsync(host, [.. Enumerable.Range(0, 20).Select(i =>
            DetectionFixture.Container($"c{i}", $"{r}/{host}/shared:1", repoDigests: $"{r}/{host}/shared@{image.Digest}"))]);

        var run = await stack.CheckAsync(new { hostId = host });

        Assert.Equal(20, run.Results.UpToDate);
        Assert.Equal(1, run.Progress.References);
        Assert.Equal(1, run.RegistryRequests);
    }

    [Fact]
    public async Task Check_MultiArchIndex_ResolvesThePlatformManifestWithoutFalsePositives()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var r = stack.Registry.Host;
        var up = stack.Registry.Uploader;
        var amd64 = await up.PushImageAsync($"{host}/multi", null, "multi-amd64", "amd64");
        var arm64 = await up.PushImageAsync($"{host}/multi", null, "multi-arm64", "arm64", "v8");
        var armv7 = await up.PushImageAsync($"{host}/multi", null, "multi-armv7", "arm", "v7");
        var index = await up.PushIndexAsync($"{host}/multi", "1", amd64, arm64, armv7);
        var oldArm = await up.PushImageAsync($"{host}/multi", null, "multi-arm64-old", "arm64");

        await stack.ReportAsync(host,
            // Pulled by the index: the repo digest is the index digest.
            DetectionFixture.Container("by-index", $"{r}/{host}/multi:1", amd64.ConfigDigest, "amd64", $"{r}/{host}/multi@{index}"),
            // Pushed or pulled per platform: the repo digest is the platform manifest's.
            DetectionFixture.Container("amd64", $"{r}/{host}/multi:1", amd64.ConfigDigest, "amd64", $"{r}/{host}/multi@{amd64.Digest}"),
            DetectionFixture.Container("arm64", $"{r}/{host}/multi:1", arm64.ConfigDigest, "aarch64", $"{r}/{host}/multi@{arm64.Digest}"),
            DetectionFixture.Container("armhf", $"{r}/{host}/multi:1", armv7.ConfigDigest, "armhf", $"{r}/{host}/multi@{armv7.Digest}"),
            // Same image id, digest from an older index: still the same content.
            DetectionFixture.Container("same-config", $"{r}/{host}/multi:1", amd64.ConfigDigest, "amd64", $"{r}/{host}/multi@sha256:{new string('a', 64)}"),
            DetectionFixture.Container("old-arm64", $"{r}/{host}/multi:1", oldArm.ConfigDigest, "arm64/v8", $"{r}/{host}/multi@{oldArm.Digest}"),
            DetectionFixture.Container("s390x", $"{r}/{host}/multi:1", "", "s390x", $"{r}/{host}/multi@sha256:{new string('b', 64)}"));

        var run = await stack.CheckAsync(new { hostId = host });

        foreach (var upToDate in new[] { "by-index", "amd64", "arm64", "armhf", "same-config" })
        {
            Assert.Equal("up-to-date", (await stack.ContainerAsync(host, upToDate)).Update.Status);
        }

        var old = (await stack.ContainerAsync(host, "old-arm64")).Update;
        Assert.Equal("update-available", old.Status);
        Assert.Equal(index, old.RemoteDigest);
        var missing = (await stack.ContainerAsync(host, "s390x")).Update;
        Assert.Equal("error", missing.Status);
        Assert.Contains("no longer has an image for linux/s390x", missing.Error);
        Assert.DoesNotContain("unknown", missing.Error);
        Assert.Equal(1, run.Progress.References);
    }

    [Fact]
    public async Task Check_AfterAPush_ReportsTheNewDigest()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var r = stack.Registry.Host;
        var first = await stack.Registry.Uploader.PushImageAsync($"{host}/app", "stable", "app-1");
        await stack.ReportAsync(host, DetectionFixture.Container("app", $"{r}/{host}/app:stable", repoDigests: $"{r}/{host}/app@{first.Digest}"));
        await stack.CheckAsync(new { hostId = host });
        Assert.Equal("up-to-date", (await stack.ContainerAsync(host, "app")).Update.Status);

        var second = await stack.Registry.Uploader.PushImageAsync($"{host}/app", "stable", "app-2");
        await stack.CheckAsync(new { hostId = host, containerId = "app" });

        var update = (await stack.ContainerAsync(host, "app")).Update;
        Assert.Equal("update-available", update.Status);
        Assert.Equal(second.Digest, update.RemoteDigest);
    }

    [Fact]
    public async Task Webhook_DistributionPush_ChecksOnlyThePushedRepository()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var r = stack.Registry.Host;
        var up = stack.Registry.Uploader;
        var a1 = await up.PushImageAsync($"{host}/a", "1", "a-1");
        var b1 = await up.PushImageAsync($"{host}/b", "1", "b-1");
        await stack.ReportAsync(host,
            DetectionFixture.Container("a", $"{r}/{host}/a:1", repoDigests: $"{r}/{host}/a@{a1.Digest}"),
            DetectionFixture.Container("b", $"{r}/{host}/b:1", repoDigests: $"{r}/{host}/b@{b1.Digest}"));
        await stack.CheckAsync(new { hostId = host });
        var bCheckedAt = (await stack.ContainerAsync(host, "b")).Update.CheckedAt;
        var a2 = await up.PushImageAsync($"{host}/a", "1", "a-2");
        await up.PushImageAsync($"{host}/b", "1", "b-2");

        var envelope = $$$"""
            {"events":[
              {"id":"1","action":"push","target":{"mediaType":"application/vnd.docker.image.rootfs.diff.tar","repository":"{{{host}}}/a","digest":"{{{a2.ConfigDigest}}}"},"request":{"host":"{{{r}}}","method":"PUT"}},
              {"id":"2","action":"push","target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","repository":"{{{host}}}/a","digest":"{{{a2.Digest}}}","tag":"1"},"request":{"host":"{{{r}}}","method":"PUT"}},
              {"id":"3","action":"pull","target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","repository":"{{{host}}}/b","tag":"1"},"request":{"host":"{{{r}}}","method":"GET"}}
            ]}
            """;
        using var response = await stack.Controller.Api.PostAsync($"/api/v1/webhooks/distribution/{DetectionFixture.WebhookSecret}",
            new StringContent(envelope, Encoding.UTF8, "application/vnd.docker.distribution.events.v1+json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<ApiWebhookResponse>(TestContext.Current.CancellationToken))!;
        Assert.Equal([$"{r}/{host}/a:1"], accepted.Repositories);
        var run = await stack.WaitAsync(accepted.CheckId!);
        Assert.Equal("webhook", run.TriggeredBy);
        Assert.Equal(1, run.Progress.Containers);
        var a = (await stack.ContainerAsync(host, "a")).Update;
        Assert.Equal("update-available", a.Status);
        Assert.Equal(a2.Digest, a.RemoteDigest);
        var b = (await stack.ContainerAsync(host, "b")).Update;
        Assert.Equal("up-to-date", b.Status);
        Assert.Equal(bCheckedAt, b.CheckedAt);
    }

    [Theory]
    [InlineData("distribution", "{\"events\":\"nope\"}", HttpStatusCode.BadRequest, "events")]
    [InlineData("distribution", "not json", HttpStatusCode.BadRequest, "not JSON")]
    [InlineData("dockerhub", "{\"push_data\":{\"tag\":\"1\"}}", HttpStatusCode.BadRequest, "repo_name")]
    [InlineData("dockerhub", "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":\"Bad/Name\"}}", HttpStatusCode.BadRequest, "not a valid repository")]
    [InlineData("github", "{\"action\":\"published\"}", HttpStatusCode.BadRequest, "package")]
    [InlineData("harbor", "{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{}}", HttpStatusCode.BadRequest, "resources")]
    [InlineData("quay", "{}", HttpStatusCode.NotFound, "not a webhook source")]
    public async Task Webhook_BadPayload_IsRejectedAndStartsNothing(string source, string body, HttpStatusCode expected, string reason)
    {
        var before = (await stack.Controller.GetJsonAsync<List<ApiCheckRun>>("/api/v1/checks?limit=500")).Count;

        using var response = await stack.Controller.Api.PostAsync($"/api/v1/webhooks/{source}/{DetectionFixture.WebhookSecret}",
            new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(before, (await stack.Controller.GetJsonAsync<List<ApiCheckRun>>("/api/v1/checks?limit=500")).Count);
    }

    [Fact]
    public async Task Webhook_SecretInTheUrl_StaysOutOfTraces()
    {
        var paths = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("url.path") is string path && path.StartsWith("/api/v1/webhooks/", StringComparison.Ordinal))
                {
                    paths.Enqueue(path);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        using var response = await stack.Controller.Api.PostAsync($"/api/v1/webhooks/dockerhub/{DetectionFixture.WebhookSecret}",
            new StringContent("{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":\"someone/traced\"}}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(!paths.IsEmpty), TimeSpan.FromSeconds(5), "the request's activity stops");
        Assert.All(paths, p => Assert.DoesNotContain(DetectionFixture.WebhookSecret, p));
    }

    [Fact]
    public async Task Webhook_WrongOrMissingSecret_Is401()
    {
        const string body = "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":\"someone/app\"}}";
        using var wrong = await stack.Controller.Api.PostAsync("/api/v1/webhooks/dockerhub/not-the-secret", new StringContent(body), TestContext.Current.CancellationToken);
        using var missing = await stack.Controller.Api.PostAsync("/api/v1/webhooks/dockerhub", new StringContent(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task Webhook_GitHubSignedDelivery_IsAccepted()
    {
        const string body = """{"action":"published","package":{"name":"App","namespace":"Octo","package_type":"CONTAINER","package_version":{"container_metadata":{"tag":{"name":"v1","digest":"sha256:1"}}}}}""";
        var signature = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(DetectionFixture.WebhookSecret), Encoding.UTF8.GetBytes(body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/github") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", signature);
        request.Headers.Add("X-GitHub-Event", "package");

        using var response = await stack.Controller.Api.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<ApiWebhookResponse>(TestContext.Current.CancellationToken))!;
        Assert.Equal(["ghcr.io/octo/app:v1"], accepted.Repositories);
    }

    [Fact]
    public async Task StartCheck_InvalidTargets_AreClearErrors()
    {
        using var noHost = await stack.Controller.Api.PostAsJsonAsync("/api/v1/checks", new { containerId = "x" }, TestContext.Current.CancellationToken);
        using var unknownHost = await stack.Controller.Api.PostAsJsonAsync("/api/v1/checks", new { hostId = "no-such-host" }, TestContext.Current.CancellationToken);
        using var unknownRun = await stack.Controller.Api.GetAsync("/api/v1/checks/nope", TestContext.Current.CancellationToken);
        using var badFilter = await stack.Controller.Api.GetAsync("/api/v1/containers?updateStatus=outdated", TestContext.Current.CancellationToken);

        using var everything = await stack.Controller.Api.PostAsync("/api/v1/checks", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, everything.StatusCode);
        Assert.Equal("all", (await everything.Content.ReadFromJsonAsync<ApiCheckRun>(TestContext.Current.CancellationToken))!.Scope.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, noHost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownHost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("update-available", await badFilter.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

public sealed record ApiWebhookResponse(string? CheckId, List<string> Repositories, string Message);
