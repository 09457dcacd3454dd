using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Security.Mfa;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>TOTP MFA behind enable_mfa: enrolment, a code at sign-in, no replays, recovery codes.</summary>
public sealed class MfaTests : IAsyncLifetime
{
    private const string Password = "a passphrase that is long";
    private readonly TempDirectory data = new("mfa");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync()
    {
        controller = await StartAsync(mfa: true);
        await controller.CreateUserAsync("dave", Password, "viewer");
    }

    private Task<ControllerHost> StartAsync(bool mfa) =>
        ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?> { ["Harbor:Features:enable_mfa"] = mfa ? "true" : "false" });

    [Fact]
    public async Task Enrolment_ThenSignIn_NeedsACurrentCode_AndACodeWorksOnlyOnce()
    {
        var secret = await EnrolAsync();

        using var withoutCode = await LoginAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        var problem = await withoutCode.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("mfaRequired").GetBoolean());

        clock.Advance(TimeSpan.FromSeconds(30));
        var code = TotpCodes.Compute(secret, clock.GetUtcNow());
        using var withCode = await LoginAsync(code);
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);

        // Replayed (someone watched over the shoulder): refused, although still inside the window.
        using var replay = await LoginAsync(code);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);

        using var wrong = await LoginAsync("000000");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task EnrolmentAnswer_HasTheSecretUriAndAQrCode_AndMfaIsNotRequiredBeforeConfirming()
    {
        using var dave = await controller.SignInAsync("dave", Password);
        using var begin = await dave.PostAsync("/api/v1/auth/mfa", null, TestContext.Current.CancellationToken);
        var enrolment = await begin.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        var secret = enrolment.GetProperty("secret").GetString()!;
        Assert.StartsWith($"otpauth://totp/Harbor:dave?secret={secret}&issuer=Harbor", enrolment.GetProperty("otpAuthUri").GetString());
        Assert.Contains("<svg", enrolment.GetProperty("qrCodeSvg").GetString());
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(null)).StatusCode);

        using var wrong = await dave.PostAsJsonAsync("/api/v1/auth/mfa/confirm", new { code = "123456" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(null)).StatusCode);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce()
    {
        var (_, codes) = await EnrolWithCodesAsync();

        using var first = await LoginAsync(codes[3]);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var again = await LoginAsync(codes[3]);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        using var another = await LoginAsync(codes[4].ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, another.StatusCode);
    }

    [Fact]
    public async Task FlagOff_MfaEndpointsAreNotFound_AndSignInNeedsNoCode()
    {
        await EnrolAsync();
        await controller.DisposeAsync();
        controller = await StartAsync(mfa: false);

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(null)).StatusCode);
        using var dave = await controller.SignInAsync("dave", Password);
        using var begin = await dave.PostAsync("/api/v1/auth/mfa", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, begin.StatusCode);
        var features = await controller.GetJsonAsync<JsonElement>("/api/v1/features");
        Assert.False(features.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "enable_mfa").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Disable_NeedsThePassword()
    {
        await EnrolAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        using var dave = await controller.SignInAsync("dave", Password, TotpCodes.Compute(secretCache!, clock.GetUtcNow()));

        using var wrong = await dave.PostAsJsonAsync("/api/v1/auth/mfa/disable", new { password = "not it at all" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        using var right = await dave.PostAsJsonAsync("/api/v1/auth/mfa/disable", new { password = Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(null)).StatusCode);
    }

    private byte[]? secretCache;

    private async Task<byte[]> EnrolAsync() => (await EnrolWithCodesAsync()).Secret;

    private async Task<(byte[] Secret, List<string> Codes)> EnrolWithCodesAsync()
    {
        using var dave = await controller.SignInAsync("dave", Password);
        using var begin = await dave.PostAsync("/api/v1/auth/mfa", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, begin.StatusCode);
        var secret = TotpCodes.FromBase32((await begin.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString()!);
        using var confirm = await dave.PostAsJsonAsync("/api/v1/auth/mfa/confirm", new { code = TotpCodes.Compute(secret, clock.GetUtcNow()) }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var codes = (await confirm.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Count);
        secretCache = secret;
        return (secret, codes);
    }

    private Task<HttpResponseMessage> LoginAsync(string? code) =>
        controller.Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "dave", password = Password, code }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
