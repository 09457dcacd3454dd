using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Notifications;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>The notifications API on the real controller: secrets encrypted and masked, Shoutrrr import, rules, preview, problems for bad input.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class NotificationsApiTests(NotificationFixture stack) : IClassFixture<NotificationFixture>
{
    private ControllerHost Controller => stack.Controller;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<ChannelRow> StoredAsync(string id)
    {
        await using var connection = await Controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(Token);
        return await connection.QuerySingleAsync<ChannelRow>("SELECT * FROM notification_channels WHERE id = @id", new { id });
    }

    private async Task<IReadOnlyDictionary<string, string>> DecryptedAsync(string id) =>
        Controller.Services.GetRequiredService<ChannelStore>().Decrypt(await StoredAsync(id)).Values;

    [Fact]
    public async Task Channel_CreateReadUpdateDelete_SecretsEncryptedAtRestAndMaskedOnRead()
    {
        const string url = "https://hooks.slack.com/services/T1/B2/very-secret-token";
        var id = await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url }, name: TestNames.Unique("ops"));

        var listed = await Controller.Api.GetStringAsync("/api/v1/notifications/channels", Token);
        Assert.DoesNotContain("very-secret-token", listed);
        var read = await Controller.GetJsonAsync<JsonElement>($"/api/v1/notifications/channels/{id}");
        Assert.Equal(NotificationService.Mask, read.GetProperty("settings").GetProperty("url").GetString());
        var row = await StoredAsync(id);
        Assert.DoesNotContain("very-secret-token", row.ProtectedSecrets);
        Assert.DoesNotContain("very-secret-token", row.Settings);

        // Sending the mask back (what a UI round-trip does) keeps the stored secret.
        using var renamed = await Controller.Api.PutAsJsonAsync($"/api/v1/notifications/channels/{id}",
            new { name = "renamed-" + id, settings = new { url = NotificationService.Mask }, enabled = false }, Token);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var updated = (await renamed.Content.ReadFromJsonAsync<JsonElement>(Token))!;
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal(url, (await DecryptedAsync(id))["url"]);

        using var replaced = await Controller.Api.PutAsJsonAsync($"/api/v1/notifications/channels/{id}",
            new { name = "renamed-" + id, settings = new { url = "https://hooks.slack.com/services/T1/B2/new" } }, Token);
        Assert.Equal("https://hooks.slack.com/services/T1/B2/new", (await DecryptedAsync(id))["url"]);

        using var deleted = await Controller.Api.DeleteAsync($"/api/v1/notifications/channels/{id}", Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await Controller.Api.GetAsync($"/api/v1/notifications/channels/{id}", Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"type\":\"carrier-pigeon\",\"settings\":{}}", "type")]
    [InlineData("{\"name\":\"\",\"type\":\"slack\",\"settings\":{\"url\":\"https://h/x\"}}", "name")]
    [InlineData("{\"name\":\"x\",\"type\":\"slack\",\"settings\":{}}", "settings.url")]
    [InlineData("{\"name\":\"x\",\"type\":\"slack\",\"settings\":{\"url\":\"ftp://h/x\"}}", "settings.url")]
    [InlineData("{\"name\":\"x\",\"type\":\"slack\",\"settings\":{\"url\":\"https://h/x\",\"colour\":\"red\"}}", "settings.colour")]
    [InlineData("{\"name\":\"x\",\"type\":\"webhook\",\"settings\":{\"url\":\"https://h/x\",\"secret\":\"short\"}}", "settings.secret")]
    [InlineData("{\"name\":\"x\",\"type\":\"webhook\",\"settings\":{\"url\":\"https://h/x\",\"secret\":\"whsec_!!notbase64\"}}", "settings.secret")]
    [InlineData("{\"name\":\"x\",\"type\":\"ntfy\",\"settings\":{\"topic\":\"t\",\"priority\":\"9\"}}", "settings.priority")]
    [InlineData("{\"name\":\"x\",\"type\":\"telegram\",\"settings\":{\"token\":\"1:a\"}}", "settings.chatId")]
    public async Task CreateChannel_InvalidInput_IsAValidationProblem(string json, string field)
    {
        using var response = await Controller.Api.PostAsync("/api/v1/notifications/channels", new StringContent(json, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task CreateChannel_DuplicateName_IsAConflict()
    {
        var name = TestNames.Unique("dup");
        await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url = "https://h/1" }, name);
        using var response = await Controller.PostJsonAsync("/api/v1/notifications/channels", new { name, type = "slack", settings = new { url = "https://h/2" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("slack://hook:T0ABC-B0DEF-XyZ123@webhook", "slack", "url=https://hooks.slack.com/services/T0ABC/B0DEF/XyZ123")]
    [InlineData("slack://harbor@T0ABC/B0DEF/XyZ123", "slack", "url=https://hooks.slack.com/services/T0ABC/B0DEF/XyZ123")]
    [InlineData("discord://AbC-token_1@123456789", "discord", "url=https://discord.com/api/webhooks/123456789/AbC-token_1")]
    [InlineData("generic+https://example.com:8443/api/hook?template=json&key=v", "webhook", "url=https://example.com:8443/api/hook?key=v")]
    [InlineData("generic://example.com/hook?disabletls=yes", "webhook", "url=http://example.com/hook")]
    [InlineData("ntfy://ntfy.example.com/updates?priority=high", "ntfy", "url=https://ntfy.example.com|topic=updates|priority=4")]
    [InlineData("ntfy://:tk_abc@ntfy.sh/updates", "ntfy", "url=https://ntfy.sh|topic=updates|token=tk_abc")]
    [InlineData("ntfy://ann:pw@ntfy.example.com/updates?scheme=http", "ntfy", "url=http://ntfy.example.com|topic=updates|username=ann|password=pw")]
    [InlineData("gotify://gotify.example.com:8080/sub/AbCdEf?disabletls=yes", "gotify", "url=http://gotify.example.com:8080/sub|token=AbCdEf")]
    [InlineData("teams://grp@tenant/alt/owner?host=acme.webhook.office.com", "teams", "url=https://acme.webhook.office.com/webhookb2/grp@tenant/IncomingWebhook/alt/owner")]
    [InlineData("telegram://123456:ABC-def@telegram?chats=@harbor_news", "telegram", "token=123456:ABC-def|chatId=@harbor_news")]
    public async Task Import_ShoutrrrUrl_CreatesTheMatchingChannel(string url, string type, string expected)
    {
        using var response = await Controller.PostJsonAsync("/api/v1/notifications/channels/import", new { url, name = TestNames.Unique("import") });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        var body = (await response.Content.ReadFromJsonAsync<JsonElement>(Token))!;
        var channel = body.GetProperty("channel");
        Assert.Equal(type, channel.GetProperty("type").GetString());

        var stored = await DecryptedAsync(channel.GetProperty("id").GetString()!);
        var expectedSettings = expected.Split('|').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        foreach (var (name, value) in expectedSettings)
        {
            Assert.Equal(value, stored[name]);
        }

        if (type == "webhook")
        {
            // Harbor signs what Shoutrrr did not: the generated secret is shown this once and stored encrypted.
            var secret = body.GetProperty("signingSecret").GetString()!;
            Assert.StartsWith("whsec_", secret);
            Assert.Equal(secret, stored["secret"]);
            Assert.Equal(NotificationService.Mask, channel.GetProperty("settings").GetProperty("secret").GetString());
        }
        else
        {
            Assert.Equal(expectedSettings.Count, stored.Count);
            Assert.Equal(JsonValueKind.Null, body.GetProperty("signingSecret").ValueKind);
        }
    }

    [Theory]
    [InlineData("pushover://shoutrrr:token@user/", "cannot import 'pushover://'")]
    [InlineData("smtp://user:pw@mail.example.com:587/?to=c@d.example", "smtp://[user:password@]host")]
    [InlineData("telegram://1:a@telegram?chats=1,2", "one URL per chat")]
    [InlineData("slack://only-one-part", "slack://hook:")]
    [InlineData("not a url", "not a Shoutrrr URL")]
    public async Task Import_UnsupportedOrMalformedUrl_IsABadRequestSayingWhy(string url, string detail)
    {
        using var response = await Controller.PostJsonAsync("/api/v1/notifications/channels/import", new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Rules_CreateListUpdateDelete_RoundTripsEveryField()
    {
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url = "https://h/r" });
        var ruleId = await NotificationFixture.CreateRuleAsync(Controller, channelId, ["update.available", "job.*"], hostId: "h1", project: "shop", digest: true,
            titleTemplate: "{{container}} on {{host}}");

        var rule = await Controller.GetJsonAsync<JsonElement>($"/api/v1/notifications/rules/{ruleId}");
        Assert.Equal(["update.available", "job.*"], rule.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal("h1", rule.GetProperty("hostId").GetString());
        Assert.Equal("shop", rule.GetProperty("project").GetString());
        Assert.True(rule.GetProperty("digest").GetBoolean());
        Assert.Equal("{{container}} on {{host}}", rule.GetProperty("titleTemplate").GetString());
        Assert.Contains(await Controller.GetJsonAsync<List<JsonElement>>("/api/v1/notifications/rules"), r => r.GetProperty("id").GetString() == ruleId);

        using var updated = await Controller.Api.PutAsJsonAsync($"/api/v1/notifications/rules/{ruleId}",
            new { name = "only failures", channelId, eventTypes = new[] { "job.failed" }, enabled = false }, Token);
        var after = (await updated.Content.ReadFromJsonAsync<JsonElement>(Token))!;
        Assert.Equal("only failures", after.GetProperty("name").GetString());
        Assert.False(after.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("hostId").ValueKind);

        // Deleting the channel deletes its rules.
        using var deleted = await Controller.Api.DeleteAsync($"/api/v1/notifications/channels/{channelId}", Token);
        using var gone = await Controller.Api.GetAsync($"/api/v1/notifications/rules/{ruleId}", Token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("{\"name\":\"r\",\"channelId\":\"missing\",\"eventTypes\":[\"job.failed\"]}", "channelId")]
    [InlineData("{\"name\":\"r\",\"channelId\":\"CHANNEL\",\"eventTypes\":[]}", "eventTypes")]
    [InlineData("{\"name\":\"r\",\"channelId\":\"CHANNEL\",\"eventTypes\":[\"Job Failed\"]}", "eventTypes")]
    [InlineData("{\"name\":\"r\",\"channelId\":\"CHANNEL\",\"eventTypes\":[\"job.failed\"],\"titleTemplate\":\"{{nope}}\"}", "titleTemplate")]
    [InlineData("{\"name\":\"r\",\"channelId\":\"CHANNEL\",\"eventTypes\":[\"job.failed\"],\"digest\":true}", "digest")]
    [InlineData("{\"channelId\":\"CHANNEL\",\"eventTypes\":[\"job.failed\"]}", "name")]
    public async Task CreateRule_InvalidInput_IsAValidationProblem(string json, string field)
    {
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url = "https://h/v" });
        using var response = await Controller.Api.PostAsync("/api/v1/notifications/rules",
            new StringContent(json.Replace("CHANNEL", channelId, StringComparison.Ordinal), Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Preview_DefaultAndCustomTemplates_RenderTheExamplePayload()
    {
        using var byDefault = await Controller.PostJsonAsync("/api/v1/notifications/templates/preview",
            new { eventType = "job.rolled_back", data = new { hostName = "nas", containerName = "web", reason = "unhealthy after 30 s" } });
        var preview = (await byDefault.Content.ReadFromJsonAsync<JsonElement>(Token))!;
        Assert.Equal("Update rolled back: web", preview.GetProperty("title").GetString());
        Assert.Equal("web on nas was rolled back: unhealthy after 30 s", preview.GetProperty("body").GetString());
        Assert.Equal("Update rolled back: {{container}}", preview.GetProperty("defaultTitleTemplate").GetString());

        using var custom = await Controller.PostJsonAsync("/api/v1/notifications/templates/preview",
            new { eventType = "update.available", data = new { containerName = "db", labels = new Dictionary<string, string> { ["com.docker.compose.project"] = "shop" }, digest = new { next = "sha256:1" } }, titleTemplate = "{{project}}/{{container}}", bodyTemplate = "→ {{data.digest.next}}{{data.missing}}" });
        preview = (await custom.Content.ReadFromJsonAsync<JsonElement>(Token))!;
        Assert.Equal("shop/db", preview.GetProperty("title").GetString());
        Assert.Equal("→ sha256:1", preview.GetProperty("body").GetString());

        using var bad = await Controller.PostJsonAsync("/api/v1/notifications/templates/preview", new { eventType = "job.failed", bodyTemplate = "{{hostname}}" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("{{hostname}}", await bad.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task ChannelTypes_ListsEveryChannelWithItsSecretSettings()
    {
        var types = await Controller.GetJsonAsync<List<JsonElement>>("/api/v1/notifications/channel-types");

        Assert.Equal(["discord", "email", "gotify", "mqtt", "ntfy", "slack", "teams", "telegram", "webhook"], types.Select(t => t.GetProperty("type").GetString()!));
        var email = types.Single(t => t.GetProperty("type").GetString() == "email").GetProperty("fields").EnumerateArray().ToList();
        Assert.True(email.Single(f => f.GetProperty("name").GetString() == "password").GetProperty("secret").GetBoolean());
        Assert.Equal(["starttls", "tls", "none"], email.Single(f => f.GetProperty("name").GetString() == "security").GetProperty("choices").EnumerateArray().Select(c => c.GetString()!));
        var telegram = types.Single(t => t.GetProperty("type").GetString() == "telegram").GetProperty("fields").EnumerateArray().ToList();
        Assert.True(telegram.Single(f => f.GetProperty("name").GetString() == "token").GetProperty("secret").GetBoolean());
        Assert.False(telegram.Single(f => f.GetProperty("name").GetString() == "chatId").GetProperty("secret").GetBoolean());
    }
}
