using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using MimeKit;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>The email channel against a real Postfix: STARTTLS and implicit TLS, login, certificate trust, failures classified, mails read back from the Maildir.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class EmailChannelTests(MailFixture stack) : IClassFixture<MailFixture>
{
    private ControllerHost Controller => stack.Controller;

    private MailServer Mail => stack.Mail;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Dictionary<string, string> Settings(string security = "starttls", int? port = null, string? password = null, bool pin = true) => new()
    {
        ["host"] = "127.0.0.1",
        ["port"] = (port ?? (security == "tls" ? Mail.TlsPort : Mail.SmtpPort)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["security"] = security,
        ["username"] = $"{Mail.Username}@{MailServer.Domain}",
        ["password"] = password ?? Mail.Password,
        ["from"] = "Harbor <harbor@example.org>",
        ["to"] = $"alice@{MailServer.Domain}, Bob <bob@{MailServer.Domain}>",
        [pin ? "tlsCertificateSha256" : "tlsCaCertificate"] = pin ? Mail.CertificateSha256 : Mail.CertificatePem,
    };

    /// <summary>A channel and a rule for job events of a host of this test only; returns the host id.</summary>
    private async Task<string> RouteAsync(Dictionary<string, string> settings)
    {
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "email", settings);
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.*"], hostId: hostId);
        return hostId;
    }

    private async Task<JsonElement> MessageAsync(string status, string hostId, int attempts) =>
        await Eventually.GetAsync(
            async () => (await NotificationFixture.OutboxAsync(Controller, status)).FirstOrDefault(m => m.GetProperty("hostId").GetString() == hostId),
            m => m.ValueKind == JsonValueKind.Object && m.GetProperty("attempts").GetInt32() == attempts,
            TimeSpan.FromSeconds(20),
            $"the message of {hostId} is {status} after {attempts} attempt(s)");

    private MimeMessage? Find(string mailbox, string messageId) => Mail.Messages(mailbox).FirstOrDefault(m => m.MessageId == messageId);

    [Fact]
    public async Task Deliver_StartTlsWithLogin_EveryRecipientGetsTheMailFieldByField()
    {
        var hostId = await RouteAsync(Settings());

        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "web", reason = "pull failed: manifest unknown" });
        var delivered = await MessageAsync("delivered", hostId, 1);
        var id = delivered.GetProperty("id").GetString()!;
        var messageId = $"harbor.{id}@example.org";

        var alice = await Eventually.GetAsync(() => Task.FromResult(Find("alice", messageId)), m => m is not null, TimeSpan.FromSeconds(20), "alice's copy");
        var bob = await Eventually.GetAsync(() => Task.FromResult(Find("bob", messageId)), m => m is not null, TimeSpan.FromSeconds(20), "bob's copy");
        foreach (var mail in new[] { alice!, bob! })
        {
            Assert.Equal("harbor@example.org", Assert.Single(mail.From.Mailboxes).Address);
            Assert.Equal("Harbor", mail.From.Mailboxes.Single().Name);
            Assert.Equal([$"alice@{MailServer.Domain}", $"bob@{MailServer.Domain}"], mail.To.Mailboxes.Select(m => m.Address));
            Assert.Equal(delivered.GetProperty("title").GetString(), mail.Subject);
            Assert.Equal("Update failed: web", mail.Subject);
            Assert.Equal(delivered.GetProperty("body").GetString() + "\n", mail.TextBody!.ReplaceLineEndings("\n"));
            Assert.Contains("pull failed: manifest unknown", mail.TextBody);
            Assert.Contains("<h2>Update failed: web</h2>", mail.HtmlBody);
            Assert.Equal("job.failed", mail.Headers["X-Harbor-Event"]);
            Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
            Assert.Equal(delivered.GetProperty("occurredAt").GetDateTimeOffset(), mail.Date);
            // Postfix records that the mail came over TLS with a login (Received header).
            Assert.Contains("ESMTPSA", mail.Headers[HeaderId.Received]);
        }
    }

    [Fact]
    public async Task SendTest_ImplicitTlsTrustingTheServersCa_Delivered()
    {
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "email", Settings("tls", pin: false));
        var before = Mail.Messages("alice").Count;

        using var response = await Controller.PostJsonAsync($"/api/v1/notifications/channels/{channelId}/test");
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(result.GetProperty("delivered").GetBoolean(), result.ToString());

        var mails = await Mail.WaitForMessagesAsync("alice", before + 1);
        Assert.Contains(mails, m => m.Subject == "Harbor test notification" && m.MessageId!.StartsWith("harbor.test_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendTest_SelfSignedCertificateNotTrusted_RefusedNamingItsFingerprint()
    {
        var settings = Settings();
        settings.Remove("tlsCertificateSha256");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "email", settings);

        using var response = await Controller.PostJsonAsync($"/api/v1/notifications/channels/{channelId}/test");
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.False(result.GetProperty("delivered").GetBoolean());
        var error = result.GetProperty("error").GetString()!;
        Assert.Contains(Mail.CertificateSha256, error);
        Assert.Contains("tlsCertificateSha256", error);
    }

    [Fact]
    public async Task Deliver_WrongPassword_DeadLetterAtOnceSayingTheLoginWasRefused()
    {
        var hostId = await RouteAsync(Settings(password: "not-the-password"));

        NotificationFixture.Publish(Controller, "job.succeeded", hostId, new { containerName = "web" });
        var dead = await MessageAsync("dead", hostId, 1);

        var error = dead.GetProperty("lastError").GetString()!;
        Assert.Contains("refused the login", error);
        Assert.Contains($"{Mail.Username}@{MailServer.Domain}", error);
        Assert.DoesNotContain("not-the-password", error);
    }

    [Fact]
    public async Task Deliver_ServerDown_RetriedAndDeliveredOnceItIsBack()
    {
        var hostId = await RouteAsync(Settings());
        await Mail.StopAsync();
        try
        {
            NotificationFixture.Publish(Controller, "job.rolled_back", hostId, new { containerName = "db", reason = "unhealthy" });
            var pending = await MessageAsync("pending", hostId, 1);
            Assert.Contains("Connection to 127.0.0.1", pending.GetProperty("lastError").GetString());
        }
        finally
        {
            await Mail.RestartAsync();
        }

        stack.Clock.Advance(NotificationFixture.InitialBackoff);
        var delivered = await MessageAsync("delivered", hostId, 2);
        var messageId = $"harbor.{delivered.GetProperty("id").GetString()}@example.org";
        var mail = await Eventually.GetAsync(() => Task.FromResult(Find("alice", messageId)), m => m is not null, TimeSpan.FromSeconds(20), "the retried mail");
        Assert.Equal("Update rolled back: db", mail!.Subject);
    }

    [Fact]
    public async Task CreateChannel_PasswordMaskedAndBadAddressesRefusedAsProblems()
    {
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "email", Settings());
        var shown = await Controller.GetJsonAsync<JsonElement>($"/api/v1/notifications/channels/{channelId}");
        Assert.Equal("********", shown.GetProperty("settings").GetProperty("password").GetString());
        Assert.DoesNotContain(Mail.Password, shown.ToString());

        var bad = Settings();
        bad["to"] = "alice@mail.test, not an address";
        bad["security"] = "ssl";
        bad["tlsCertificateSha256"] = "abc";
        bad.Remove("password");
        using var response = await Controller.PostJsonAsync("/api/v1/notifications/channels", new { name = TestNames.Unique("mail"), type = "email", settings = bad });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors");
        Assert.Contains("email addresses", errors.GetProperty("settings.to")[0].GetString());
        Assert.Contains("starttls, tls, none", errors.GetProperty("settings.security")[0].GetString());
        Assert.Contains("SHA-256", errors.GetProperty("settings.tlsCertificateSha256")[0].GetString());
        Assert.Contains("both", errors.GetProperty("settings.username")[0].GetString());
    }

    [Fact]
    public async Task Import_ShoutrrrSmtpUrl_EmailChannelWithItsSettingsAndMaskedPassword()
    {
        using var response = await Controller.PostJsonAsync("/api/v1/notifications/channels/import", new
        {
            url = "smtp://harbor%40mail.test:p%40ss@smtp.example.org:465/?from=harbor@example.org&to=alice@example.org,bob@example.org&fromname=Harbor",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var channel = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("channel");
        Assert.Equal("email", channel.GetProperty("type").GetString());
        var settings = channel.GetProperty("settings");
        Assert.Equal("smtp.example.org", settings.GetProperty("host").GetString());
        Assert.Equal("465", settings.GetProperty("port").GetString());
        Assert.Equal("tls", settings.GetProperty("security").GetString());
        Assert.Equal("harbor@mail.test", settings.GetProperty("username").GetString());
        Assert.Equal("********", settings.GetProperty("password").GetString());
        Assert.Equal("\"Harbor\" <harbor@example.org>", settings.GetProperty("from").GetString());
        Assert.Equal("alice@example.org,bob@example.org", settings.GetProperty("to").GetString());
    }
}
