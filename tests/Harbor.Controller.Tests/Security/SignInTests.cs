using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>Sign-in, lockout, cookie sessions (flags, idle and absolute limits, revocation), CSRF.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Password = "a long sign-in phrase";
    private readonly TempDirectory data = new("signin");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync()
    {
        controller = await ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
        {
            ["Harbor:Security:LockoutFailures"] = "5",
            ["Harbor:Security:LockoutDuration"] = "00:15:00",
            ["Harbor:Security:SessionIdleTimeout"] = "01:00:00",
            ["Harbor:Security:SessionAbsoluteTimeout"] = "1.00:00:00",
        });
        await controller.CreateUserAsync("bob", Password, "viewer");
    }

    [Fact]
    public async Task Login_SetsAnHttpOnlySameSiteStrictCookie_NotSecureOverPlainHttp()
    {
        using var response = await controller.Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "bob", password = Password }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("harbor_session=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("csrfToken").GetString()));
        Assert.DoesNotContain("password", body.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheName_EvenForTheRightPassword_UntilTheLockoutEnds()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("bob", "wrong password " + i)).StatusCode);
        }

        using var fifth = await LoginAsync("bob", "wrong password 5");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.True(fifth.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var right = await LoginAsync("bob", Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);

        clock.Advance(TimeSpan.FromMinutes(16));

        using var after = await LoginAsync("bob", Password);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task UnknownUser_GetsExactlyTheAnswersOfAWrongPassword_IncludingTheLockout()
    {
        var existing = new List<(HttpStatusCode, string?)>();
        var unknown = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 6; i++)
        {
            existing.Add(await DescribeAsync(await LoginAsync("bob", "not a password")));
            unknown.Add(await DescribeAsync(await LoginAsync("nobody", "not a password")));
        }

        Assert.Equal(existing, unknown);
        Assert.Equal(HttpStatusCode.TooManyRequests, unknown[^1].Item1);
    }

    [Fact]
    public async Task RevokedSession_IsRefusedOnItsVeryNextRequest()
    {
        using var phone = await controller.SignInAsync("bob", Password);
        using var laptop = await controller.SignInAsync("bob", Password);
        var sessions = await laptop.GetFromJsonAsync<JsonElement>("/api/v1/sessions", TestContext.Current.CancellationToken);
        Assert.Equal(2, sessions.GetArrayLength());
        var phoneSession = sessions.EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        using var revoke = await laptop.DeleteAsync($"/api/v1/sessions/{phoneSession}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var next = await phone.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
        Assert.Contains("revoked", await next.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Admin_CanRevokeAnyonesSession_AUserCannotRevokeAnothers()
    {
        using var bob = await controller.SignInAsync("bob", Password);
        await controller.CreateUserAsync("carol", "another long passphrase", "viewer");
        using var carol = await controller.SignInAsync("carol", "another long passphrase");
        var all = await controller.GetJsonAsync<JsonElement>("/api/v1/sessions?all=true");
        var bobSession = all.EnumerateArray().First(s => s.GetProperty("userName").GetString() == "bob").GetProperty("id").GetString();

        // With enable_rbac off everyone is an admin, so carol could; the refusal for non-admins is in RbacTests.
        using var byAdmin = await controller.Api.DeleteAsync($"/api/v1/sessions/{bobSession}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task IdleSession_Expires_AndAnActiveOne_EndsAtItsAbsoluteLimit()
    {
        using var idle = await controller.SignInAsync("bob", Password);
        using var active = await controller.SignInAsync("bob", Password);

        for (var i = 0; i < 28; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(50));
            Assert.Equal(HttpStatusCode.OK, (await active.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
            if (i == 1)
            {
                using var expired = await idle.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
                Assert.Contains("idle", await expired.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }
        }

        clock.Advance(TimeSpan.FromMinutes(50));
        using var ended = await active.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Contains("absolute", await ended.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CookieWrite_NeedsTheCsrfHeader_ABearerWriteDoesNot()
    {
        using var session = await controller.SignInAsync("bob", Password);
        var csrf = session.DefaultRequestHeaders.GetValues("X-Harbor-Csrf").Single();
        session.DefaultRequestHeaders.Remove("X-Harbor-Csrf");

        using var without = await session.PostAsJsonAsync("/api/v1/api-keys", new { name = "k", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Contains("CSRF", await without.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        session.DefaultRequestHeaders.Add("X-Harbor-Csrf", "a-guess");
        using var wrong = await session.PostAsJsonAsync("/api/v1/api-keys", new { name = "k", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);

        session.DefaultRequestHeaders.Remove("X-Harbor-Csrf");
        session.DefaultRequestHeaders.Add("X-Harbor-Csrf", csrf);
        using var right = await session.PostAsJsonAsync("/api/v1/api-keys", new { name = "k", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);

        using var bearer = await controller.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = "k2", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, bearer.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsTheSession_AndPasswordChange_EndsTheOthers()
    {
        using var first = await controller.SignInAsync("bob", Password);
        using var second = await controller.SignInAsync("bob", Password);

        using var change = await first.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = Password, newPassword = "an even longer sign-in phrase" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        using var logout = await first.PostAsync("/api/v1/auth/logout", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("bob", Password)).StatusCode);
    }

    private Task<HttpResponseMessage> LoginAsync(string userName, string password) =>
        controller.Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName, password }, TestContext.Current.CancellationToken);

    private static async Task<(HttpStatusCode, string?)> DescribeAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, body.GetProperty("title").GetString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
