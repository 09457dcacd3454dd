using OtpNet;

namespace Harbor.Controller.Security.Mfa;

/// <summary>
/// RFC 6238 TOTP as every authenticator app speaks it: SHA-1, 6 digits, 30-second steps. A code
/// from the step before or after is accepted too (clock drift between phone and server).
/// </summary>
internal static class TotpCodes
{
    public const int SecretBytes = 20;
    public const int Digits = 6;
    public const int StepSeconds = 30;

    /// <summary>Steps on either side of now that still count.</summary>
    public const int Window = 1;

    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(SecretBytes);

    public static string ToBase32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    public static byte[] FromBase32(string secret) => Base32Encoding.ToBytes(secret);

    /// <summary>The time step the code belongs to, or null when it is not valid at <paramref name="now"/>.</summary>
    public static long? Verify(byte[] secret, string? code, DateTimeOffset now)
    {
        code = code?.Replace(" ", "", StringComparison.Ordinal);
        if (code is not { Length: Digits } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(Window, Window)) ? step : null;
    }

    public static string Compute(byte[] secret, DateTimeOffset at) =>
        new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(at.UtcDateTime);

    /// <summary>The otpauth:// URI an authenticator app scans (Key Uri Format).</summary>
    public static string OtpAuthUri(string issuer, string account, byte[] secret)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        return $"otpauth://totp/{label}?secret={ToBase32(secret)}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
    }
}
