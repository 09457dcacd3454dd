using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>First run: no default password; the first admin needs the one-time token printed in the log.</summary>
public sealed class SetupTests : IAsyncLifetime
{
    private const string Password = "a very long first password";
    private readonly TempDirectory data = new("setup");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path, bootstrapAdmin: false);

    [Fact]
    public async Task FreshController_HasNoUser_AndNoDefaultPasswordWorks()
    {
        var status = await controller.Anonymous.GetFromJsonAsync<JsonElement>("/api/v1/setup", TestContext.Current.CancellationToken);
        Assert.True(status.GetProperty("setupRequired").GetBoolean());

        foreach (var (user, password) in new[] { ("admin", "admin"), ("admin", "password"), ("harbor", "harbor"), ("root", "") })
        {
            using var login = await controller.Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = user, password }, TestContext.Current.CancellationToken);
            Assert.True(login.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{user}/{password}: {login.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await controller.Anonymous.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task SetupToken_IsPrintedInTheLog_CreatesTheAdmin_AndCannotBeUsedTwice()
    {
        var token = controller.SetupTokenFromLog();
        Assert.NotNull(token);
        Assert.Contains(controller.Logs.Lines, l => l.EventId.Name == "SetupTokenIssued" && l.Message.Contains(token) && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);

        var file = Path.Combine(data.Path, "setup-token");
        Assert.Equal(token, File.ReadAllText(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        using var client = controller.NewCookieClient();
        using var created = await client.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = "alice", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.False(File.Exists(file), "the spent token's file is gone");

        // Signed in straight away, as an admin.
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", TestContext.Current.CancellationToken);
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Contains("Admin", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        // The same token again, and any other token: setup is over.
        using var again = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = "mallory", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var status = await controller.Anonymous.GetFromJsonAsync<JsonElement>("/api/v1/setup", TestContext.Current.CancellationToken);
        Assert.False(status.GetProperty("setupRequired").GetBoolean());
        using var login = await controller.Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "mallory", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task WrongToken_IsRefused_AndAWeakPasswordDoesNotBurnTheToken()
    {
        using var wrong = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = "hst_guess", userName = "alice", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);

        using var weak = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = controller.SetupTokenFromLog(), userName = "alice", password = "short" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("at least 12 characters", await weak.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var ok = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = controller.SetupTokenFromLog(), userName = "alice", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Fact]
    public async Task ConcurrentSetups_WithTheToken_CreateExactlyOneAdmin()
    {
        var token = controller.SetupTokenFromLog();
        var attempts = Enumerable.Range(0, 8).Select(i =>
            controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = token, userName = $"admin{i}", password = Password }, TestContext.Current.CancellationToken));

        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.True(r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Restart_AfterSetup_PrintsNoToken_AndSetupStaysClosed()
    {
        using var created = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = controller.SetupTokenFromLog(), userName = "alice", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await controller.DisposeAsync();
        controller = await ControllerHost.StartAsync(data.Path, bootstrapAdmin: false);

        Assert.Null(controller.SetupTokenFromLog());
        using var again = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = "hst_anything", userName = "bob", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Restart_BeforeSetup_PrintsANewToken_AndTheOldOneNoLongerWorks()
    {
        var old = controller.SetupTokenFromLog();
        await controller.DisposeAsync();
        controller = await ControllerHost.StartAsync(data.Path, bootstrapAdmin: false);
        var fresh = controller.SetupTokenFromLog();

        Assert.NotNull(fresh);
        Assert.NotEqual(old, fresh);
        using var withOld = await controller.Anonymous.PostAsJsonAsync("/api/v1/setup", new { setupToken = old, userName = "alice", password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, withOld.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
