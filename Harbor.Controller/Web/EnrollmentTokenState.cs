using Harbor.Controller.Security.Enrollment;

namespace Harbor.Controller.Web;

/// <summary>
/// An enrollment token's state as the Hosts page words it, and whether it may still be revoked: only an
/// unused token that has not expired yet. The list's status was decided when it was read, so a token
/// that expired since then is told by the clock, not by a reload.
/// </summary>
internal sealed record EnrollmentTokenState(string Word, string Css, bool Revocable)
{
    public static EnrollmentTokenState Of(EnrollmentTokenResponse token, DateTimeOffset now) => token.Status switch
    {
        "used" => new("used", "status-good", false),
        "revoked" => new("revoked", "status-bad", false),
        "pending" when now < token.ExpiresAt => new("unused", "status-info", true),
        _ => new("expired", "status-neutral", false),
    };
}
