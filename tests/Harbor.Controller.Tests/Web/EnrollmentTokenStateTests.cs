using Harbor.Controller.Security.Enrollment;
using Harbor.Controller.Web;

namespace Harbor.Controller.Tests.Web;

/// <summary>How the Hosts page words an enrollment token, and which ones it offers to revoke.</summary>
public sealed class EnrollmentTokenStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("pending", 60, "unused", true)]
    [InlineData("pending", -1, "expired", false)] // expired since the list was read
    [InlineData("expired", -60, "expired", false)]
    [InlineData("used", 60, "used", false)]
    [InlineData("revoked", 60, "revoked", false)]
    public void Of_OnlyAnUnusedUnexpiredToken_IsRevocable(string status, int expiresInMinutes, string word, bool revocable)
    {
        var token = new EnrollmentTokenResponse("tok1", null, status, Now.AddHours(-1), Now.AddMinutes(expiresInMinutes), null, null, "admin", null, null, null);

        var state = EnrollmentTokenState.Of(token, Now);

        Assert.Equal((word, revocable), (state.Word, state.Revocable));
    }
}
