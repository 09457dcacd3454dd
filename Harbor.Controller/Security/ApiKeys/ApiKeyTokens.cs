using System.Buffers.Text;
using System.Security.Cryptography;

namespace Harbor.Controller.Security.ApiKeys;

/// <summary>
/// Key format <c>hbk_{id}_{secret}</c>: the id finds the row, the secret (256 random bits) is checked
/// against its SHA-256 (<see cref="SecretHash"/>).
/// </summary>
internal static class ApiKeyTokens
{
    public const string Prefix = "hbk_";

    public static (string Id, string Secret, string Key) New()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, secret, $"{Prefix}{id}_{secret}");
    }

    public static bool TryParse(string key, out string id, out string secret)
    {
        id = secret = "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return false;
        }

        var rest = key.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != 16)
        {
            return false;
        }

        id = rest[..separator].ToString();
        secret = rest[(separator + 1)..].ToString();
        return secret.Length > 0;
    }

    public static string Hash(string secret) => SecretHash.Of(secret);
}
