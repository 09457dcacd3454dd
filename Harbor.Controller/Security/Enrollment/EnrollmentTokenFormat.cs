using System.Buffers.Text;
using System.Security.Cryptography;

namespace Harbor.Controller.Security.Enrollment;

/// <summary>
/// <c>hbe1.{id}.{secret}.{ca-sha256}</c>: which token, its single-use secret, and the fingerprint of
/// the CA the agent must find behind the hub's TLS certificate before it sends the secret. The agent
/// parses the same format (Harbor.Agent/Connection/EnrollmentToken.cs).
/// </summary>
internal static class EnrollmentTokenFormat
{
    public const string Prefix = "hbe1";

    public static (string Id, string Secret) NewIdAndSecret() =>
        ("et_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static string Format(string id, string secret, string caFingerprint) => $"{Prefix}.{id}.{secret}.{caFingerprint}";

    public static string Hash(string secret) => SecretHash.Of(secret);

    public static bool SecretMatches(string presented, string storedHash) => SecretHash.Matches(presented, storedHash);
}
