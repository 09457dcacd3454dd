using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Registries;

/// <summary>The credentials API on the real controller: secrets go in encrypted and never come out; checks use them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(nameof(OwnControllerTests))]
public sealed class CredentialsApiTests(DetectionFixture stack) : IClassFixture<DetectionFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateListTestUpdateDelete_NeverReturnsTheSecretAndKeepsItEncrypted()
    {
        const string secret = "very-secret-value-123";
        using var created = await stack.Controller.Api.PostAsJsonAsync("/api/v1/registries/credentials",
            new { registry = "https://Private.Example:5000/v2/", username = "alice", secret }, Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(Token);
        Assert.DoesNotContain(secret, body);
        var credential = (await created.Content.ReadFromJsonAsync<ApiCredential>(Token))!;
        Assert.Equal("private.example:5000", credential.Registry);

        using var duplicate = await stack.Controller.Api.PostAsJsonAsync("/api/v1/registries/credentials",
            new { registry = "private.example:5000", username = "bob", secret = "x" }, Token);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var list = await stack.Controller.Api.GetStringAsync("/api/v1/registries/credentials", Token);
        Assert.Contains("alice", list);
        Assert.DoesNotContain(secret, list);

        await using (var connection = await stack.Controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(Token))
        {
            var stored = await connection.ExecuteScalarAsync<string>("SELECT protected_secret FROM registry_credentials WHERE id = @Id", new { credential.Id });
            Assert.DoesNotContain(secret, stored);
        }

        var keys = Path.Combine(stack.Controller.DataDirectory, "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));

        using var updated = await stack.Controller.Api.PutAsJsonAsync($"/api/v1/registries/credentials/{credential.Id}", new { username = "alice2" }, Token);
        Assert.Equal("alice2", (await updated.Content.ReadFromJsonAsync<ApiCredential>(Token))!.Username);

        using var deleted = await stack.Controller.Api.DeleteAsync($"/api/v1/registries/credentials/{credential.Id}", Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await stack.Controller.Api.GetAsync($"/api/v1/registries/credentials/{credential.Id}", Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("{\"registry\":\"\",\"username\":\"a\",\"secret\":\"b\"}", "registry")]
    [InlineData("{\"registry\":\"Bad Host!\",\"username\":\"a\",\"secret\":\"b\"}", "registry")]
    [InlineData("{\"registry\":\"ghcr.io\",\"username\":\"\",\"secret\":\"b\"}", "username")]
    [InlineData("{\"registry\":\"ghcr.io\",\"username\":\"a:b\",\"secret\":\"b\"}", "username")]
    [InlineData("{\"registry\":\"ghcr.io\",\"username\":\"a\"}", "secret")]
    public async Task Create_InvalidInput_IsAValidationProblem(string json, string field)
    {
        using var response = await stack.Controller.Api.PostAsync("/api/v1/registries/credentials", new StringContent(json, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task StoredCredential_TokenRegistry_TestLoginSucceedsAndChecksUseIt()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var registry = stack.TokenRegistry;
        var image = await registry.Uploader.PushImageAsync($"{host}/private", "1", "private-1");
        await stack.ReportAsync(host, DetectionFixture.Container("private", $"{registry.Host}/{host}/private:1", repoDigests: $"{registry.Host}/{host}/private@{image.Digest}"));

        using var wrong = await stack.Controller.Api.PostAsJsonAsync("/api/v1/registries/credentials",
            new { registry = registry.Host, username = DetectionFixture.User, secret = "wrong-password" }, Token);
        var credential = (await wrong.Content.ReadFromJsonAsync<ApiCredential>(Token))!;
        var failedLogin = await (await stack.Controller.Api.PostAsync($"/api/v1/registries/credentials/{credential.Id}/test", null, Token)).Content.ReadFromJsonAsync<ApiLoginTest>(Token);
        Assert.False(failedLogin!.Succeeded);
        Assert.Contains("refused the credentials", failedLogin.Message);
        await stack.CheckAsync(new { hostId = host });
        var refused = (await stack.ContainerAsync(host, "private")).Update;
        Assert.Equal("error", refused.Status);
        Assert.Contains($"refused the credentials of '{DetectionFixture.User}'", refused.Error);

        using var fixedIt = await stack.Controller.Api.PutAsJsonAsync($"/api/v1/registries/credentials/{credential.Id}", new { secret = DetectionFixture.Password }, Token);
        fixedIt.EnsureSuccessStatusCode();
        var login = await (await stack.Controller.Api.PostAsync($"/api/v1/registries/credentials/{credential.Id}/test", null, Token)).Content.ReadFromJsonAsync<ApiLoginTest>(Token);
        Assert.True(login!.Succeeded, login.Message);
        await stack.CheckAsync(new { hostId = host });
        Assert.Equal("up-to-date", (await stack.ContainerAsync(host, "private")).Update.Status);

        await stack.Controller.Api.DeleteAsync($"/api/v1/registries/credentials/{credential.Id}", Token);
    }

    [Fact]
    public async Task Import_DockerConfigWithAuthsAndHelpers_StoresWhatItCanAndSaysWhyNot()
    {
        using var bin = new TempDirectory("helpers");
        var helper = bin.Combine("docker-credential-harbortest");
        await File.WriteAllTextAsync(helper, """
            #!/bin/sh
            read server
            if [ "$server" = "helper.example:5000" ]; then
              echo '{"ServerURL":"helper.example:5000","Username":"helper-user","Secret":"helper-secret"}'
              exit 0
            fi
            echo "credentials not found in native keychain"
            exit 1
            """, Token);
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin.Path + ":" + path);
        try
        {
            var config = $$"""
                {
                  "auths": {
                    "https://index.docker.io/v1/": { "auth": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes("hubuser:hub-secret"))}}" },
                    "plain.example": { "username": "plain-user", "password": "plain-secret" },
                    "oauth.example": { "identitytoken": "refresh" },
                    "helper.example:5000": {},
                    "missing.example": {}
                  },
                  "credHelpers": { "helper.example:5000": "harbortest", "nohelper.example": "not-installed-helper" },
                  "credsStore": "harbortest"
                }
                """;
            using var response = await stack.Controller.Api.PostAsync("/api/v1/registries/credentials/import",
                new StringContent($"{{\"config\":{config}}}", Encoding.UTF8, "application/json"), Token);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(Token);
            Assert.DoesNotContain("secret\"", text);
            var result = (await response.Content.ReadFromJsonAsync<ApiImport>(Token))!;
            Assert.Equal(["docker.io", "helper.example:5000", "plain.example"], result.Imported.Select(i => i.Registry).Order());
            Assert.Equal("credential-helper:harbortest", result.Imported.Single(i => i.Registry == "helper.example:5000").Source);
            Assert.Contains(result.Skipped, s => s.Registry == "oauth.example" && s.Reason.Contains("identity tokens"));
            Assert.Contains(result.Skipped, s => s.Registry == "nohelper.example" && s.Reason.Contains("not installed"));
            Assert.Contains(result.Skipped, s => s.Registry == "missing.example" && s.Reason.Contains("no credentials"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public async Task Import_MissingFile_IsAClearProblem()
    {
        using var response = await stack.Controller.Api.PostAsJsonAsync("/api/v1/registries/credentials/import", new { path = "/nonexistent/config.json" }, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no Docker config file", await response.Content.ReadAsStringAsync(Token));
    }
}

public sealed record ApiCredential(string Id, string Registry, string Username, string Source);

public sealed record ApiLoginTest(string Registry, bool Succeeded, string Message);

public sealed record ApiImported(string Registry, string Username, string Source, bool Replaced);

public sealed record ApiSkipped(string Registry, string Reason);

public sealed record ApiImport(List<ApiImported> Imported, List<ApiSkipped> Skipped);
