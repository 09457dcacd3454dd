using System.Security.Cryptography;
using System.Text;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): HMAC-SHA256 over "id.timestamp.body" with the
/// secret's bytes, sent as <c>webhook-signature: v1,&lt;base64&gt;</c>. A secret written as
/// <c>whsec_&lt;base64&gt;</c> is the spec's form and its base64 part is the key; any other secret is used as UTF-8.
/// </summary>
internal static class StandardWebhookSignature
{
    public const string Prefix = "whsec_";
    public const int MinSecretLength = 16;

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), signed));
    }

    public static byte[] Key(string secret) =>
        secret.StartsWith(Prefix, StringComparison.Ordinal) ? Convert.FromBase64String(secret[Prefix.Length..]) : Encoding.UTF8.GetBytes(secret);

    /// <summary>Why the secret cannot be used, or null.</summary>
    public static string? Problem(string secret)
    {
        if (secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            try
            {
                return Key(secret).Length >= 16 ? null : "A whsec_ secret must hold at least 16 bytes.";
            }
            catch (FormatException)
            {
                return "The part after whsec_ is not valid base64.";
            }
        }

        return secret.Length >= MinSecretLength ? null : $"The signing secret must be at least {MinSecretLength} characters (or whsec_<base64>).";
    }

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}
