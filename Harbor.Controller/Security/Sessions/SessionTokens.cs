using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Harbor.Controller.Security.Sessions;

/// <summary>Session cookie values, their stored hashes, and the CSRF token derived from each.</summary>
internal static class SessionTokens
{
    public const string CookieName = "harbor_session";
    public const string CsrfHeader = "X-Harbor-Csrf";

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => "s_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Hash(string token) => SecretHash.Of(token);

    /// <summary>
    /// Derived, not stored: only someone who holds the session cookie can compute it, and a page on
    /// another site can neither read the cookie nor the token, nor set a custom header without CORS.
    /// </summary>
    public static string CsrfTokenFor(string token) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "harbor-csrf-v1"u8));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
