using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;

namespace Harbor.Testing;

/// <summary>
/// A real Postfix (Debian's package) on free loopback ports with its own configuration, queue and
/// mail directories: STARTTLS (and plain) on <see cref="SmtpPort"/>, TLS from the first byte on
/// <see cref="TlsPort"/>, a self-signed certificate made here, SASL login (Cyrus sasldb) required
/// to relay and allowed only over TLS, and every mail for @mail.test delivered to a Maildir per
/// recipient that the test reads back. Postfix runs as root with -c &lt;dir&gt; (as CI runs the tests).
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    public const string Domain = "mail.test";
    public static readonly string[] Mailboxes = ["alice", "bob"];

    private readonly TempDirectory directory;
    private readonly List<string> output = [];
    private Process? process;

    private MailServer(TempDirectory directory, int smtpPort, int tlsPort, string username, string password, X509Certificate2 certificate)
    {
        this.directory = directory;
        SmtpPort = smtpPort;
        TlsPort = tlsPort;
        Username = username;
        Password = password;
        Certificate = certificate;
    }

    public int SmtpPort { get; }

    public int TlsPort { get; }

    public string Username { get; }

    public string Password { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public string CertificateSha256 => Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    private string Config => directory.Combine("conf");

    public static async Task<MailServer> StartAsync(string username = "harbor", string password = "mail-secret-1")
    {
        LocalProcess.RequireRoot("Postfix");
        if (!File.Exists("/usr/sbin/postfix") || !File.Exists("/usr/sbin/saslpasswd2"))
        {
            throw new InvalidOperationException("Postfix and sasl2-bin are not installed (apt-get install postfix sasl2-bin); eng/test.sh installs them.");
        }

        var directory = new TempDirectory("postfix");
        var server = new MailServer(directory, RegistryServer.FreePort(), RegistryServer.FreePort(), username, password, CreateCertificate());
        try
        {
            await server.WriteConfigurationAsync();
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The mails delivered to <paramref name="mailbox"/> (alice or bob) so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages(string mailbox)
    {
        var folder = directory.Combine("mail", mailbox, "new");
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder).OrderBy(File.GetLastWriteTimeUtc).Select(f => MimeMessage.Load(f))]
            : [];
    }

    /// <summary>Waits until <paramref name="mailbox"/> holds <paramref name="count"/> mails.</summary>
    public Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(string mailbox, int count, TimeSpan? within = null) =>
        Eventually.GetAsync(() => Task.FromResult(Messages(mailbox)), m => m.Count >= count, within ?? TimeSpan.FromSeconds(20), $"{count} mail(s) in {mailbox}'s Maildir");

    /// <summary>Stops Postfix: its ports refuse connections until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            await LocalProcess.RunAsync("/usr/sbin/postfix", "-c", Config, "stop");
        }
        catch (InvalidOperationException)
        {
            // Not running any more.
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Certificate.Dispose();
        directory.Dispose();
    }

    private async Task StartProcessAsync()
    {
        process = LocalProcess.Start("/usr/sbin/postfix", ["-c", Config, "start-fg"], output);
        await LocalProcess.WaitForPortAsync(SmtpPort, process, output, "Postfix");
        await LocalProcess.WaitForPortAsync(TlsPort, process, output, "Postfix");
    }

    private async Task WriteConfigurationAsync()
    {
        foreach (var name in new[] { "conf/sasl", "queue", "data", "mail" })
        {
            Directory.CreateDirectory(directory.Combine(name));
        }

        await File.WriteAllTextAsync(directory.Combine("conf", "cert.pem"), CertificatePem);
        using (var key = Certificate.GetRSAPrivateKey()!)
        {
            await File.WriteAllTextAsync(directory.Combine("conf", "key.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        var mailboxes = "inline:{ " + string.Join(", ", Mailboxes.Select(m => $"{m}@{Domain}={m}/")) + " }";
        await File.WriteAllTextAsync(directory.Combine("conf", "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {directory.Combine("queue")}
            data_directory = {directory.Combine("data")}
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = {Domain}
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            maillog_file = /dev/stdout
            alias_maps =
            alias_database =
            biff = no
            virtual_mailbox_domains = {Domain}
            virtual_mailbox_base = {directory.Combine("mail")}
            virtual_mailbox_maps = {mailboxes}
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            virtual_minimum_uid = 100
            smtpd_tls_cert_file = {directory.Combine("conf", "cert.pem")}
            smtpd_tls_key_file = {directory.Combine("conf", "key.pem")}
            smtpd_tls_security_level = may
            smtpd_tls_auth_only = yes
            smtpd_sasl_auth_enable = yes
            smtpd_sasl_type = cyrus
            smtpd_sasl_path = smtpd
            smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
            smtpd_error_sleep_time = 0
            """);
        // The ports are ours; the rest is Debian's master.cf without chroot (the temp directories are not inside a chroot).
        var services = new[]
        {
            $"127.0.0.1:{SmtpPort} inet n - n - - smtpd",
            $"127.0.0.1:{TlsPort} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes",
            "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite", "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce", "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap", "proxywrite unix - - n - 1 proxymap",
            "smtp unix - - n - - smtp", "relay unix - - n - - smtp", "showq unix n - n - - showq", "error unix - - n - - error",
            "retry unix - - n - - error", "discard unix - - n - - discard", "local unix - n n - - local",
            "virtual unix - n n - - virtual", "lmtp unix - - n - - lmtp", "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd",
        };
        await File.WriteAllLinesAsync(directory.Combine("conf", "master.cf"), services);
        // Debian's Postfix reads Cyrus SASL settings from <config directory>/sasl/smtpd.conf.
        await File.WriteAllTextAsync(directory.Combine("conf", "sasl", "smtpd.conf"), $"""
            pwcheck_method: auxprop
            auxprop_plugin: sasldb
            mech_list: PLAIN LOGIN
            sasldb_path: {directory.Combine("conf", "sasl", "sasldb2")}
            """);
        await RunWithInputAsync(Password, "/usr/sbin/saslpasswd2", "-p", "-f", directory.Combine("conf", "sasl", "sasldb2"), "-c", "-u", Domain, Username);
        // smtpd runs as the postfix user and must read the password database.
        await LocalProcess.RunAsync("chmod", "644", directory.Combine("conf", "sasl", "sasldb2"));
        await LocalProcess.RunAsync("chown", "postfix", directory.Combine("data"));
        await LocalProcess.RunAsync("chown", "65534:65534", directory.Combine("mail"));
    }

    private static async Task RunWithInputAsync(string input, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
    }
}
