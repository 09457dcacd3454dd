using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Harbor.Controller.Security.Enrollment;
using Harbor.Controller.Security.Mfa;
using Harbor.Controller.Security.Secrets;
using Harbor.Controller.Tests.Agents;
using Harbor.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Security;

/// <summary>
/// A copy of harbor.db alone reveals no secret: passwords, keys and tokens are hashed, and what must
/// be read back (CA key, TOTP seeds, stored secrets) is Data Protection ciphertext keyed outside it.
/// </summary>
public sealed class SecretsAtRestTests : IAsyncLifetime
{
    private const string Password = "a password nobody should read";
    private readonly TempDirectory data = new("secrets");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() =>
        controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?> { ["Harbor:Features:enable_mfa"] = "true" });

    [Fact]
    public async Task DatabaseFile_HoldsNoSecretInPlainText()
    {
        var plaintexts = new List<string> { ControllerHost.AdminPassword, Password, "registry-password-4f8e2a" };

        await controller.CreateUserAsync("erin", Password, "viewer");
        using var erin = await controller.SignInAsync("erin", Password);
        using var begin = await erin.PostAsync("/api/v1/auth/mfa", null, TestContext.Current.CancellationToken);
        var totpSecret = (await begin.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString()!;
        plaintexts.Add(totpSecret);
        using var confirm = await erin.PostAsJsonAsync("/api/v1/auth/mfa/confirm",
            new { code = TotpCodes.Compute(TotpCodes.FromBase32(totpSecret), DateTimeOffset.UtcNow) }, TestContext.Current.CancellationToken);
        plaintexts.AddRange((await confirm.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!));

        var apiKey = await ControllerHost.CreateApiKeyAsync(controller.Api, "scraper", ["read"]);
        plaintexts.Add(apiKey.Split('_', 3)[2]);
        plaintexts.Add(controller.AdminApiKey!.Split('_', 3)[2]);
        var enrollment = await controller.CreateEnrollmentTokenAsync();
        plaintexts.Add(enrollment.Split('.')[2]);
        await controller.Services.GetRequiredService<SecretStore>().SetAsync("registry.example.password", "registry-password-4f8e2a", TestContext.Current.CancellationToken);
        await using var agent = await FakeAgent.ConnectAsync(controller);

        var caKey = await controller.Services.GetRequiredService<SecretStore>().GetAsync(AgentCertificateAuthority.KeySecret, TestContext.Current.CancellationToken);
        Assert.Contains("PRIVATE KEY", caKey);
        plaintexts.Add(caKey!.Split('\n')[1]); // a line of the key's base64

        // Everything the controller wrote so far, including the WAL.
        SqliteConnection.ClearAllPools();
        var bytes = string.Concat(new[] { "harbor.db", "harbor.db-wal" }
            .Select(f => Path.Combine(data.Path, f))
            .Where(File.Exists)
            .Select(f => Encoding.Latin1.GetString(ReadShared(f))));

        Assert.NotEmpty(bytes);
        foreach (var secret in plaintexts)
        {
            Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("PRIVATE KEY", bytes, StringComparison.Ordinal);
        Assert.Contains("CfDJ8", bytes, StringComparison.Ordinal); // Data Protection payloads are there, encrypted

        // And the secrets still work: the stored one reads back, the CA signs.
        Assert.Equal("registry-password-4f8e2a", await controller.Services.GetRequiredService<SecretStore>().GetAsync("registry.example.password", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void DataAndKeyDirectories_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(data.Path));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(data.Path, "keys")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data.Path, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task Restart_ReadsTheEncryptedCaBack_AndEnrolledAgentsStillConnect()
    {
        var before = (await controller.GetJsonAsync<JsonElement>("/api/v1/agents/ca")).GetProperty("fingerprint").GetString();
        var credential = await controller.EnrollAgentAsync(FakeAgent.NewAgentId());

        await controller.DisposeAsync();
        controller = await ControllerHost.StartAsync(data.Path);

        Assert.Equal(before, (await controller.GetJsonAsync<JsonElement>("/api/v1/agents/ca")).GetProperty("fingerprint").GetString());
        await using var agent = await FakeAgent.ConnectAsync(controller, credential: credential);
    }

    [Fact]
    public async Task Api_NeverReturnsSecrets()
    {
        var token = await controller.CreateEnrollmentTokenAsync();
        var key = await ControllerHost.CreateApiKeyAsync(controller.Api, "k", ["read"]);

        foreach (var path in new[] { "/api/v1/agents/enrollment-tokens", "/api/v1/api-keys?all=true", "/api/v1/users", "/api/v1/audit?pageSize=1000", "/api/v1/agents/ca" })
        {
            using var response = await controller.Api.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain(token.Split('.')[2], body);
            Assert.DoesNotContain(key.Split('_', 3)[2], body);
            Assert.DoesNotContain("passwordHash", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("PRIVATE KEY", body);
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
