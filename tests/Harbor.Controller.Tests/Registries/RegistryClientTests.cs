using System.Diagnostics;
using Harbor.Controller.Registries;
using Harbor.Testing;
using Microsoft.AspNetCore.Http;

namespace Harbor.Controller.Tests.Registries;

/// <summary>The registry client against real registries (anonymous, Basic, token auth) and stub servers for rate limits.</summary>
public sealed class RegistryClientTests(RegistryFixture registries) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeadManifest_AnonymousRegistry_ReturnsThePushedDigestWithOneHead()
    {
        var pushed = await registries.Anonymous.Uploader.PushImageAsync("anon/app", "1", "anon-1");
        using var test = new TestRegistryClient();

        var head = await test.Client.HeadManifestAsync(Ref(registries.Anonymous, "anon/app:1"), "1", Token);

        Assert.Equal(pushed.Digest, head.Digest);
        Assert.False(head.FromGet);
        Assert.Equal(1, test.Count("HEAD"));
        Assert.Equal(0, test.Count("GET"));
    }

    [Fact]
    public async Task HeadManifest_BasicAuth_UsesCredentialsAndExplainsMissingOrWrongOnes()
    {
        var pushed = await registries.Basic.Uploader.PushImageAsync("private/app", "1", "basic-1");
        var reference = Ref(registries.Basic, "private/app:1");

        using (var anonymous = new TestRegistryClient())
        {
            var error = await Assert.ThrowsAsync<RegistryException>(() => anonymous.Client.HeadManifestAsync(reference, "1", Token));
            Assert.Equal(RegistryErrorKind.Unauthorized, error.Kind);
            Assert.Contains("requires credentials", error.Message);
        }

        using (var wrong = new TestRegistryClient())
        {
            wrong.UseCredential(registries.Basic.Host, RegistryFixture.User, "wrong-password");
            var error = await Assert.ThrowsAsync<RegistryException>(() => wrong.Client.HeadManifestAsync(reference, "1", Token));
            Assert.Equal(RegistryErrorKind.Unauthorized, error.Kind);
            Assert.Contains($"refused the credentials of '{RegistryFixture.User}'", error.Message);
            Assert.DoesNotContain("wrong-password", error.Message);
        }

        using var right = new TestRegistryClient();
        right.UseCredential(registries.Basic.Host, RegistryFixture.User, RegistryFixture.Password);
        Assert.Equal(pushed.Digest, (await right.Client.HeadManifestAsync(reference, "1", Token)).Digest);
        // Once the scheme is known, Basic is sent up front: no second 401 round trip.
        await right.Client.HeadManifestAsync(reference, "1", Token);
        Assert.Equal(1, right.Requests.Count(r => r.Outcome == RegistryOutcome.Unauthorized));
    }

    [Fact]
    public async Task HeadManifest_TokenAuth_FetchesOneTokenPerRepositoryAndReusesIt()
    {
        var first = await registries.Token.Uploader.PushImageAsync("team/one", "1", "token-1");
        var second = await registries.Token.Uploader.PushImageAsync("team/two", "1", "token-2");
        using var test = new TestRegistryClient();
        test.UseCredential(registries.Token.Host, RegistryFixture.User, RegistryFixture.Password);
        var before = registries.Token.Tokens!.Requests;

        Assert.Equal(first.Digest, (await test.Client.HeadManifestAsync(Ref(registries.Token, "team/one:1"), "1", Token)).Digest);
        Assert.Equal(first.Digest, (await test.Client.HeadManifestAsync(Ref(registries.Token, "team/one:1"), "1", Token)).Digest);
        Assert.Equal(second.Digest, (await test.Client.HeadManifestAsync(Ref(registries.Token, "team/two:1"), "1", Token)).Digest);

        Assert.Equal(2, registries.Token.Tokens.Requests - before);
        Assert.Equal(3, test.Requests.Count(r => r is { Method: "HEAD", Outcome: RegistryOutcome.Ok }));
    }

    [Fact]
    public async Task HeadManifest_TokenServerAnswersAccessTokenField_IsAccepted()
    {
        var pushed = await registries.Token.Uploader.PushImageAsync("team/oauth", "1", "token-oauth");
        registries.Token.Tokens!.UseAccessTokenField = true;
        try
        {
            using var test = new TestRegistryClient();
            test.UseCredential(registries.Token.Host, RegistryFixture.User, RegistryFixture.Password);
            Assert.Equal(pushed.Digest, (await test.Client.HeadManifestAsync(Ref(registries.Token, "team/oauth:1"), "1", Token)).Digest);
        }
        finally
        {
            registries.Token.Tokens.UseAccessTokenField = false;
        }
    }

    [Fact]
    public async Task HeadManifest_TokenAuthWrongPassword_FailsWithClearReason()
    {
        await registries.Token.Uploader.PushImageAsync("team/locked", "1", "token-locked");
        using var test = new TestRegistryClient();
        test.UseCredential(registries.Token.Host, RegistryFixture.User, "not-the-password");

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.HeadManifestAsync(Ref(registries.Token, "team/locked:1"), "1", Token));

        Assert.Equal(RegistryErrorKind.Unauthorized, error.Kind);
        Assert.Contains($"refused the credentials of '{RegistryFixture.User}'", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
    }

    [Fact]
    public async Task TestLogin_TokenAndBasicRegistries_AcceptRightAndRefuseWrongCredentials()
    {
        using var test = new TestRegistryClient();

        Assert.True((await test.Client.TestLoginAsync(registries.Token.Host, new RegistryCredential(RegistryFixture.User, RegistryFixture.Password), Token)).Succeeded);
        Assert.False((await test.Client.TestLoginAsync(registries.Token.Host, new RegistryCredential(RegistryFixture.User, "nope"), Token)).Succeeded);
        Assert.True((await test.Client.TestLoginAsync(registries.Basic.Host, new RegistryCredential(RegistryFixture.User, RegistryFixture.Password), Token)).Succeeded);
        var refused = await test.Client.TestLoginAsync(registries.Basic.Host, new RegistryCredential(RegistryFixture.User, "nope"), Token);
        Assert.False(refused.Succeeded);
        Assert.Contains("refused", refused.Message);
    }

    [Fact]
    public async Task HeadManifest_DeletedTag_IsNotFoundWithReason()
    {
        var pushed = await registries.Anonymous.Uploader.PushImageAsync("anon/gone", "1", "gone-1");
        await registries.Anonymous.Uploader.DeleteManifestAsync("anon/gone", pushed.Digest);
        using var test = new TestRegistryClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.HeadManifestAsync(Ref(registries.Anonymous, "anon/gone:1"), "1", Token));

        Assert.Equal(RegistryErrorKind.NotFound, error.Kind);
        Assert.Contains("has no tag '1'", error.Message);
    }

    [Fact]
    public async Task HeadManifest_429WithRetryAfter_WaitsThenSucceedsAndRecordsRemaining()
    {
        const string digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        var calls = 0;
        await using var stub = await StubHttpServer.StartAsync(context =>
        {
            context.Response.Headers["RateLimit-Remaining"] = "7;w=21600";
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            context.Response.Headers["Docker-Content-Digest"] = digest;
            context.Response.ContentType = ManifestMediaTypes.DockerManifest;
            return Task.CompletedTask;
        });
        using var test = new TestRegistryClient();
        var started = Stopwatch.StartNew();

        var head = await test.Client.HeadManifestAsync(Ref(stub.Host, "limited/app:1"), "1", Token);

        Assert.Equal(digest, head.Digest);
        Assert.Equal(2, calls);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(900), $"Retry-After: 1 was not honoured ({started.Elapsed})");
        Assert.Equal(7, test.RateLimits[stub.Host]);
        Assert.Equal(7, test.Client.RateLimitRemaining(stub.Host));
    }

    [Fact]
    public async Task HeadManifest_RetryAfterLongerThanAllowed_FailsAsRateLimitedWithoutWaiting()
    {
        await using var stub = await StubHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "3600";
            return Task.CompletedTask;
        });
        using var test = new TestRegistryClient();
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.HeadManifestAsync(Ref(stub.Host, "limited/app:1"), "1", Token));

        Assert.Equal(RegistryErrorKind.RateLimited, error.Kind);
        Assert.Contains("retry after 60 min", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HeadManifest_NoDigestHeader_FetchesAndHashesTheManifest()
    {
        var body = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\"}}"u8.ToArray();
        await using var stub = await StubHttpServer.StartAsync(async context =>
        {
            context.Response.ContentType = ManifestMediaTypes.OciManifest;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await context.Response.Body.WriteAsync(body);
            }
        });
        using var test = new TestRegistryClient();

        var head = await test.Client.HeadManifestAsync(Ref(stub.Host, "nodigest/app:1"), "1", Token);

        Assert.True(head.FromGet);
        Assert.Equal(ContentDigest.Sha256(body), head.Digest);
        Assert.Equal(1, test.Count("GET"));
    }

    [Fact]
    public async Task HeadManifest_RegistryDown_FailsFastAsUnreachable()
    {
        var dead = RegistryServer.FreePort();
        using var test = new TestRegistryClient();
        var reference = Ref($"127.0.0.1:{dead}", "down/app:1");

        var first = await Assert.ThrowsAsync<RegistryException>(() => test.Client.HeadManifestAsync(reference, "1", Token));
        var second = await Assert.ThrowsAsync<RegistryException>(() => test.Client.HeadManifestAsync(reference, "1", Token));

        Assert.Equal(RegistryErrorKind.Unreachable, first.Kind);
        Assert.Contains("unreachable", first.Message);
        Assert.Equal(first.Message, second.Message);
        Assert.Single(test.Requests);
    }

    [Fact]
    public async Task HeadManifest_ManyInParallel_StayWithinThePerRegistryCap()
    {
        var inFlight = 0;
        var peak = 0;
        await using var stub = await StubHttpServer.StartAsync(async context =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(50);
            Interlocked.Decrement(ref inFlight);
            context.Response.Headers["Docker-Content-Digest"] = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
        });
        using var test = new TestRegistryClient(o => o.MaxConcurrencyPerRegistry = 3);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => test.Client.HeadManifestAsync(Ref(stub.Host, $"cap/app{i}:1"), "1", Token)));

        Assert.InRange(peak, 1, 3);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Fact]
    public async Task ListTags_MoreTagsThanOnePage_FollowsTheLinkHeaderToEveryTag()
    {
        string[] pushed = ["1.3.9", "1.4.0", "1.4.2", "1.5.0-rc.1", "1.5.2", "2.0.0", "latest"];
        foreach (var tag in pushed)
        {
            await registries.Token.Uploader.PushImageAsync("paged/app", tag, "paged-" + tag);
        }

        await using var paging = await PagingRegistryProxy.StartAsync(registries.Token);
        using var test = new TestRegistryClient(o => o.TagsPageSize = 2);
        test.UseCredential(paging.Host, RegistryFixture.User, RegistryFixture.Password);

        var tags = await test.Client.ListTagsAsync(Ref(paging.Host, "paged/app:1.4.0"), Token);

        Assert.Equal(pushed.Order(StringComparer.Ordinal), tags.Order(StringComparer.Ordinal));
        // 7 tags at 2 per page: 4 pages, each through the same token-authenticated path.
        Assert.Equal(4, paging.TagPages);
        Assert.Equal(4, test.Requests.Count(r => r is { Method: "GET", Outcome: RegistryOutcome.Ok }));
    }

    [Fact]
    public async Task ListTags_UnknownRepository_SaysTheRepositoryDoesNotExist()
    {
        using var test = new TestRegistryClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.ListTagsAsync(Ref(registries.Anonymous, "never/pushed:1"), Token));

        Assert.Equal(RegistryErrorKind.NotFound, error.Kind);
        Assert.Contains($"has no repository never/pushed", error.Message);
    }

    [Fact]
    public async Task ListTags_PageLimitReached_FailsWithTheSettingToRaise()
    {
        foreach (var tag in new[] { "1", "2", "3" })
        {
            await registries.Anonymous.Uploader.PushImageAsync("bounded/app", tag, "bounded-" + tag);
        }

        await using var paging = await PagingRegistryProxy.StartAsync(registries.Anonymous);
        using var test = new TestRegistryClient(o => (o.TagsPageSize, o.MaxTagPages) = (1, 2));

        var error = await Assert.ThrowsAsync<RegistryException>(() => test.Client.ListTagsAsync(Ref(paging.Host, "bounded/app:1"), Token));

        Assert.Contains("more than 2 pages of tags", error.Message);
        Assert.Contains("MaxTagPages", error.Message);
    }

    private static ImageReference Ref(RegistryServer registry, string repositoryAndTag) => Ref(registry.Host, repositoryAndTag);

    private static ImageReference Ref(string host, string repositoryAndTag) => ImageReference.Parse($"{host}/{repositoryAndTag}");
}
