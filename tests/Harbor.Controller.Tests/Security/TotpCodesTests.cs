using Harbor.Controller.Security.Mfa;

namespace Harbor.Controller.Tests.Security;

/// <summary>RFC 6238 with one step of tolerance either side: the edges of that window, exactly.</summary>
public sealed class TotpCodesTests
{
    private static readonly byte[] Secret = TotpCodes.FromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    // The start of a 30-second step.
    private static readonly DateTimeOffset StepStart = DateTimeOffset.FromUnixTimeSeconds(1_700_000_010);

    [Theory]
    [InlineData(0, true)]        // the code's own step
    [InlineData(29, true)]       // its last second
    [InlineData(30, true)]       // next step: a code typed just before the change still works
    [InlineData(59, true)]       // last second of the next step
    [InlineData(60, false)]      // two steps later: too old
    [InlineData(-1, true)]       // previous step: the phone's clock runs ahead
    [InlineData(-30, true)]
    [InlineData(-31, false)]     // two steps early
    public void Verify_AtTheWindowEdges(int secondsFromStepStart, bool accepted)
    {
        var code = TotpCodes.Compute(Secret, StepStart);

        var step = TotpCodes.Verify(Secret, code, StepStart.AddSeconds(secondsFromStepStart));

        Assert.Equal(accepted, step is not null);
        if (accepted)
        {
            Assert.Equal(StepStart.ToUnixTimeSeconds() / 30, step);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Verify_MalformedCode_IsRejected(string code) =>
        Assert.Null(TotpCodes.Verify(Secret, code, StepStart));

    [Fact]
    public void OtpAuthUri_NamesIssuerAccountAndParameters()
    {
        var uri = TotpCodes.OtpAuthUri("Harbor", "dave@lab", Secret);

        Assert.Equal("otpauth://totp/Harbor:dave%40lab?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Harbor&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void RecoveryCodes_AreTenDistinctAndMatchTheirHashIgnoringCaseAndDashes()
    {
        var codes = RecoveryCodes.Generate();

        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}$", c));
        Assert.Equal(RecoveryCodes.Hash(codes[0]), RecoveryCodes.Hash(codes[0].ToUpperInvariant().Replace("-", " ")));
    }
}
