namespace Harbor.Agent.Connection;

/// <summary>
/// <c>hbe1.{id}.{secret}.{ca-sha256}</c>, created by the controller (POST /api/v1/agents/enrollment-tokens):
/// the token's id and single-use secret, and the SHA-256 fingerprint of the controller's CA that the
/// agent pins before it sends the secret anywhere.
/// </summary>
internal sealed record EnrollmentToken(string Id, string Secret, string CaFingerprint)
{
    public static EnrollmentToken Parse(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length != 4 || parts[0] != "hbe1" || parts[1].Length is 0 or > 64 || parts[2].Length is 0 or > 128
            || parts[3].Length != 64 || !parts[3].All(char.IsAsciiHexDigitLower))
        {
            throw new EnrollmentException(
                "Harbor:Agent:EnrollmentToken is not an enrollment token (expected hbe1.<id>.<secret>.<fingerprint>, as created by POST /api/v1/agents/enrollment-tokens).");
        }

        return new EnrollmentToken(parts[1], parts[2], parts[3]);
    }
}
