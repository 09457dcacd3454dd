using System.Security.Cryptography;
using System.Text;
using Harbor.Controller.Data;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>
/// Verifies that a webhook delivery knows the secret: in the URL path, as the Authorization header
/// (Harbor's "auth header", distribution's endpoint headers), or as a GitHub-style
/// <c>X-Hub-Signature-256</c> HMAC of the body. All comparisons take constant time.
/// </summary>
internal sealed class WebhookSecret
{
    public const string FileName = "webhook-secret";
    public const int MinLength = 16;

    private readonly byte[] secret;
    private readonly byte[] secretHash;

    public WebhookSecret(IOptions<WebhookOptions> options, IOptions<DataOptions> data, ILogger<WebhookSecret> logger)
    {
        var configured = options.Value.Secret?.Trim();
        if (string.IsNullOrEmpty(configured))
        {
            var path = Path.Combine(data.Value.ResolveDataDirectory(), FileName);
            configured = ReadOrGenerate(path);
            Log.GeneratedWebhookSecret(logger, path);
        }
        else if (configured.Length < MinLength)
        {
            throw new OptionsValidationException(WebhookOptions.SectionName, typeof(WebhookOptions),
                [$"{WebhookOptions.SectionName}:Secret must be at least {MinLength} characters."]);
        }

        secret = Encoding.UTF8.GetBytes(configured);
        secretHash = SHA256.HashData(secret);
    }

    /// <summary>The secret itself, for an admin to paste into a registry's webhook settings (the UI reveals it on request).</summary>
    public string Reveal() => Encoding.UTF8.GetString(secret);

    /// <summary>Null when authenticated, else why not.</summary>
    public string? Verify(string? pathSecret, string? authorization, string? signature256, ReadOnlySpan<byte> body)
    {
        if (pathSecret is not null)
        {
            return Same(pathSecret) ? null : "the secret in the URL is wrong";
        }

        if (signature256 is not null)
        {
            const string prefix = "sha256=";
            if (!signature256.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return "X-Hub-Signature-256 must be 'sha256=<hex>'";
            }

            var expected = HMACSHA256.HashData(secret, body);
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
            return Same(value.Trim()) ? null : "the Authorization header does not hold the webhook secret";
        }

        return "no secret: put it in the URL (/api/v1/webhooks/{source}/{secret}), the Authorization header, or sign the body (X-Hub-Signature-256)";
    }

    private bool Same(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), secretHash);

    private static string ReadOrGenerate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            mode.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, mode);
        file.Write(Encoding.UTF8.GetBytes(generated));
        return generated;
    }
}
