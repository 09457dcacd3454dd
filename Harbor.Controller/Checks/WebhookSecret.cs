using System.Security.Cryptography;
using System.Text;
using Dapper;
using Harbor.Controller.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>
/// Verifies that a webhook delivery knows the secret: in the URL path, as the Authorization header
/// (Harbor's "auth header", distribution's endpoint headers), or as a GitHub-style
/// <c>X-Hub-Signature-256</c> HMAC of the body. All comparisons take constant time.
/// </summary>
/// <remarks>
/// Which secret: one an admin rotated (table <c>webhook_secret</c>, encrypted) wins; until the first
/// rotation, <c>Harbor:Controller:Webhooks:Secret</c>; without that, the generated
/// <c>&lt;data directory&gt;/webhook-secret</c>. A rotation replaces the secret at once, with no grace
/// period: a registry still sending the old one is refused until it is given the new one.
/// </remarks>
internal sealed class WebhookSecret : IDisposable
{
    public const string FileName = "webhook-secret";
    public const int MinLength = 16;

    private const string ProtectionPurpose = "Harbor.Controller.WebhookSecret";

    private readonly Secret seed;
    private readonly SqliteConnectionFactory connections;
    private readonly IDataProtector protector;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<WebhookSecret> logger;
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Secret? current;

    public WebhookSecret(
        IOptions<WebhookOptions> options,
        IOptions<DataOptions> data,
        SqliteConnectionFactory connections,
        IDataProtectionProvider protection,
        TimeProvider timeProvider,
        ILogger<WebhookSecret> logger)
    {
        this.connections = connections;
        protector = protection.CreateProtector(ProtectionPurpose);
        this.timeProvider = timeProvider;
        this.logger = logger;
        var configured = options.Value.Secret?.Trim();
        if (string.IsNullOrEmpty(configured))
        {
            var path = Path.Combine(data.Value.ResolveDataDirectory(), FileName);
            seed = new Secret(ReadOrGenerate(path), WebhookSecretSource.Generated, null, null);
            Log.GeneratedWebhookSecret(logger, path);
        }
        else if (configured.Length < MinLength)
        {
            throw new OptionsValidationException(WebhookOptions.SectionName, typeof(WebhookOptions),
                [$"{WebhookOptions.SectionName}:Secret must be at least {MinLength} characters."]);
        }
        else
        {
            seed = new Secret(configured, WebhookSecretSource.Configuration, null, null);
        }
    }

    /// <summary>The secret itself, for an admin to paste into a registry's webhook settings (the UI reveals it on request).</summary>
    public async Task<string> RevealAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Text;

    /// <summary>Where the secret in use comes from, and when and by whom it was last rotated.</summary>
    public async Task<WebhookSecretInfo> DescribeAsync(CancellationToken cancellationToken)
    {
        var secret = await CurrentAsync(cancellationToken);
        return new WebhookSecretInfo(secret.Source, secret.RotatedAt, secret.RotatedBy);
    }

    /// <summary>
    /// Replaces the secret with a new random one, stored encrypted; from the moment this returns only the new
    /// secret is accepted. Returns the new secret (shown to the admin once).
    /// </summary>
    public async Task<RotatedWebhookSecret> RotateAsync(string rotatedBy, CancellationToken cancellationToken)
    {
        var text = Generate();
        var now = timeProvider.GetUtcNow();
        // Under the load lock, so a first load running meanwhile cannot put the old secret back.
        await loading.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO webhook_secret (id, protected_secret, rotated_at, rotated_by) VALUES (1, @protectedSecret, @now, @rotatedBy)
                ON CONFLICT (id) DO UPDATE SET protected_secret = excluded.protected_secret, rotated_at = excluded.rotated_at, rotated_by = excluded.rotated_by
                """,
                new { protectedSecret = protector.Protect(text), now = DbTime.ToText(now), rotatedBy },
                cancellationToken: cancellationToken));
            current = new Secret(text, WebhookSecretSource.Rotated, now, rotatedBy);
        }
        finally
        {
            loading.Release();
        }

        Log.WebhookSecretRotated(logger, rotatedBy);
        return new RotatedWebhookSecret(text, now);
    }

    /// <summary>Null when authenticated, else why not.</summary>
    public async Task<string?> VerifyAsync(string? pathSecret, string? authorization, string? signature256, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var secret = await CurrentAsync(cancellationToken);
        if (pathSecret is not null)
        {
            return secret.Matches(pathSecret) ? null : "the secret in the URL is wrong";
        }

        if (signature256 is not null)
        {
            const string prefix = "sha256=";
            if (!signature256.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return "X-Hub-Signature-256 must be 'sha256=<hex>'";
            }

            var expected = HMACSHA256.HashData(secret.Bytes, body.Span);
            byte[] presented;
            try
            {
                presented = Convert.FromHexString(signature256.AsSpan(prefix.Length).Trim());
            }
            catch (FormatException)
            {
                return "X-Hub-Signature-256 is not hexadecimal";
            }

            return CryptographicOperations.FixedTimeEquals(presented, expected) ? null : "the X-Hub-Signature-256 signature does not match the body";
        }

        if (authorization is not null)
        {
            var value = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..] : authorization;
            return secret.Matches(value.Trim()) ? null : "the Authorization header does not hold the webhook secret";
        }

        return "no secret: put it in the URL (/api/v1/webhooks/{source}/{secret}), the Authorization header, or sign the body (X-Hub-Signature-256)";
    }

    /// <summary>The rotated secret from the database (read once, after migrations ran), else the seed.</summary>
    private async ValueTask<Secret> CurrentAsync(CancellationToken cancellationToken)
    {
        if (current is { } known)
        {
            return known;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            if (current is { } loaded)
            {
                return loaded;
            }

            await using var connection = await connections.OpenAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<StoredSecret>(new CommandDefinition(
                "SELECT protected_secret, rotated_at, rotated_by FROM webhook_secret WHERE id = 1", cancellationToken: cancellationToken));
            Secret chosen = seed;
            if (row is not null)
            {
                try
                {
                    chosen = new Secret(protector.Unprotect(row.ProtectedSecret), WebhookSecretSource.Rotated, DbTime.Parse(row.RotatedAt), row.RotatedBy);
                    if (seed.Source == WebhookSecretSource.Configuration)
                    {
                        Log.ConfiguredWebhookSecretIgnored(logger, row.RotatedAt);
                    }
                }
                catch (CryptographicException e)
                {
                    // The data-protection keys are gone (a restored database without its keys directory): fall back to the seed, loudly.
                    Log.RotatedWebhookSecretUnreadable(logger, e);
                }
            }

            current = chosen;
            return chosen;
        }
        finally
        {
            loading.Release();
        }
    }

    public void Dispose() => loading.Dispose();

    private static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static string ReadOrGenerate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var generated = Generate();
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            mode.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, mode);
        file.Write(Encoding.UTF8.GetBytes(generated));
        return generated;
    }

    private sealed record Secret(string Text, string Source, DateTimeOffset? RotatedAt, string? RotatedBy)
    {
        public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(Text);

        private byte[] Hash { get; } = SHA256.HashData(Encoding.UTF8.GetBytes(Text));

        public bool Matches(string presented) =>
            CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), Hash);
    }

    private sealed record StoredSecret
    {
        public required string ProtectedSecret { get; init; }
        public required string RotatedAt { get; init; }
        public string? RotatedBy { get; init; }
    }
}
