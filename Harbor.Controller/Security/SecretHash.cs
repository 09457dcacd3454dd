using System.Security.Cryptography;
using System.Text;

namespace Harbor.Controller.Security;

/// <summary>
/// SHA-256 (lowercase hex) for random, high-entropy secrets stored only as hashes: session tokens,
/// API keys, enrollment secrets, recovery codes. A slow hash adds nothing for 128+ random bits and
/// would cost every request. Passwords (chosen by people) use <see cref="Users.PasswordHashing"/>.
/// </summary>
internal static class SecretHash
{
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string presented, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Of(presented)), Encoding.ASCII.GetBytes(storedHash));
}
