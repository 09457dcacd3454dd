using System.Security.Cryptography;

namespace Harbor.Controller.Security.Mfa;

/// <summary>
/// Ten single-use recovery codes (about 50 random bits each), shown once and stored as SHA-256:
/// they are random, so a fast hash is enough, and sign-in is throttled anyway.
/// </summary>
internal static class RecoveryCodes
{
    public const int Count = 10;

    // No 0/O, 1/l/I: codes are typed from paper.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static IReadOnlyList<string> Generate() =>
        [.. Enumerable.Range(0, Count).Select(_ => Code())];

    public static string Hash(string code) => SecretHash.Of(Normalize(code));

    public static string Normalize(string code) =>
        new([.. code.ToLowerInvariant().Where(c => c is not ('-' or ' '))]);

    /// <summary>A code looks like <c>xxxxx-xxxxx</c>; a TOTP code is 6 digits, so the two never collide.</summary>
    public static bool LooksLikeOne(string code) => Normalize(code).Length == 10;

    private static string Code()
    {
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }
}
