using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// Email over SMTP (MailKit): one message per notification to every address in "to", plain text
/// with an HTML alternative. The Message-Id is derived from the outbox message id, so a retry after
/// an unacknowledged send is the same mail to the receiving side (and to threading/dedupe filters).
/// </summary>
internal sealed class EmailChannel : IProtocolNotificationChannel
{
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string Tls = "tls";

    public string Type => "email";

    public IReadOnlyList<ChannelField> Fields { get; } =
    [
        new("host", ChannelFieldKind.Text, Required: true, Secret: false, "The SMTP server's host name or address."),
        new("port", ChannelFieldKind.Integer, Required: false, Secret: false, "The SMTP port (default 587 for starttls, 465 for tls, 25 for none).", 1, 65535),
        new("security", ChannelFieldKind.Choice, Required: false, Secret: false,
            "starttls (default: upgrade a plain connection, required), tls (TLS from the first byte, usually port 465) or none (plain text).", Choices: [StartTls, Tls, None]),
        new("username", ChannelFieldKind.Text, Required: false, Secret: false, "Log in with this user name (no login when empty)."),
        new("password", ChannelFieldKind.Text, Required: false, Secret: true, "The login's password."),
        new("from", ChannelFieldKind.Text, Required: true, Secret: false, "The sender address, e.g. Harbor <harbor@example.org>."),
        new("to", ChannelFieldKind.Text, Required: true, Secret: false, "Recipient addresses, separated by commas."),
        .. ServerTrust.Fields,
    ];

    public string? FieldProblem(string name, string value) => name switch
    {
        "from" => MailboxAddress.TryParse(value, out _) ? null : "'from' must be one email address, e.g. harbor@example.org or Harbor <harbor@example.org>.",
        "to" => Recipients(value) is null ? "'to' must be one or more email addresses separated by commas." : null,
        "host" => Uri.CheckHostName(value) == UriHostNameType.Unknown ? "'host' must be a host name or an IP address (no scheme or port)." : null,
        _ => ServerTrust.FieldProblem(name, value),
    };

    public IEnumerable<KeyValuePair<string, string>> SettingsProblems(IReadOnlyDictionary<string, string> values)
    {
        if (values.ContainsKey("password") != values.ContainsKey("username"))
        {
            yield return new("username", "Set both 'username' and 'password' to log in, or neither.");
        }

        foreach (var problem in ServerTrust.SettingsProblems(values))
        {
            yield return problem;
        }
    }

    public async Task<DeliveryResult> SendAsync(ChannelSettings settings, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var security = settings.Get("security") ?? StartTls;
        var host = settings.Required("host");
        var port = settings.Integer("port") ?? security switch { Tls => 465, None => 25, _ => 587 };
        var mail = Compose(settings, message);
        var trust = ServerTrust.From(settings);

        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, security switch { Tls => SecureSocketOptions.SslOnConnect, None => SecureSocketOptions.None, _ => SecureSocketOptions.StartTls }, deadline.Token);
            if (settings.Get("username") is { } username)
            {
                await client.AuthenticateAsync(username, settings.Get("password") ?? "", deadline.Token);
            }

            await client.SendAsync(mail, deadline.Token);
            await DisconnectQuietlyAsync(client);
            return DeliveryResult.Success(250);
        }
        catch (AuthenticationException e)
        {
            return Permanent($"The SMTP server refused the login of '{settings.Get("username")}': {e.Message}");
        }
        catch (SmtpCommandException e)
        {
            // RFC 5321: 4yz is a transient failure, 5yz a permanent one (a refused sender or recipient, a message too big).
            var code = (int)e.StatusCode;
            var what = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $"refused the recipient {e.Mailbox}",
                SmtpErrorCode.SenderNotAccepted => $"refused the sender {e.Mailbox}",
                _ => "refused the message",
            };
            var error = $"The SMTP server {what}: {code} {e.Message}";
            return code is >= 400 and < 500 ? Transient(error) : Permanent(error);
        }
        catch (SslHandshakeException)
        {
            return Permanent(trust.RefusedFingerprint is null ? $"The TLS handshake with {host}:{port} failed." : trust.Explain());
        }
        catch (NotSupportedException e)
        {
            // STARTTLS or the login not offered by the server: a setting to fix, not a passing fault.
            return Permanent($"The SMTP server at {host}:{port} cannot do what the channel asks ({e.Message}); check 'security' and the login.");
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            return Transient($"Connection to {host}:{port} failed: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Transient($"The SMTP server at {host}:{port} did not finish within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The mail for <paramref name="message"/>: every header derived from the message, so a retry sends the same bytes.</summary>
    internal static MimeMessage Compose(ChannelSettings settings, NotificationMessage message)
    {
        var from = MailboxAddress.Parse(settings.Required("from"));
        var mail = new MimeMessage
        {
            Subject = message.Title,
            Date = message.OccurredAt,
            MessageId = $"harbor.{message.Id}@{Domain(from)}",
        };
        mail.From.Add(from);
        mail.To.AddRange(Recipients(settings.Required("to")) ?? throw new FormatException("'to' holds no address."));
        // RFC 3834: auto-responders must not answer machine mail.
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        mail.Headers.Add("X-Harbor-Event", message.EventType);
        var text = message.Body.Length == 0 ? message.Title : message.Body;
        mail.Body = new BodyBuilder { TextBody = text + "\n", HtmlBody = Html(message.Title, text, message.EventType) }.ToMessageBody();
        return mail;
    }

    internal static InternetAddressList? Recipients(string text)
    {
        var list = new InternetAddressList();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MailboxAddress.TryParse(part, out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
            {
                return null;
            }

            list.Add(address);
        }

        return list.Count == 0 ? null : list;
    }

    private static string Domain(MailboxAddress from) =>
        from.Address.LastIndexOf('@') is var at and > 0 ? from.Address[(at + 1)..] : "harbor.invalid";

    private static string Html(string title, string text, string eventType) =>
        string.Create(CultureInfo.InvariantCulture,
            $"""<html><body style="font-family:sans-serif"><h2>{WebUtility.HtmlEncode(title)}</h2><p>{WebUtility.HtmlEncode(text).ReplaceLineEndings("<br>")}</p><p style="color:#888;font-size:small">Harbor · {WebUtility.HtmlEncode(eventType)}</p></body></html>""");

    private static async Task DisconnectQuietlyAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
        {
            // The server took the message (250 after DATA); a QUIT that goes wrong does not undo that.
        }
    }

    private static DeliveryResult Permanent(string error) => new(false, null, false, null, error);

    private static DeliveryResult Transient(string error) => new(false, null, true, null, error);
}
