using Harbor.Controller.Web;

namespace Harbor.Controller.Tests.Web;

/// <summary>The first-run wizard's order, resume and the agent command it shows.</summary>
public sealed class SetupFlowTests
{
    [Fact]
    public void Steps_MfaFlagOff_SkipsTheMfaStep_MfaFlagOn_StartsWithIt()
    {
        Assert.Equal([SetupStep.Agent, SetupStep.Registry, SetupStep.Behaviour, SetupStep.Done], SetupFlow.Steps(mfaEnabled: false));
        Assert.Equal(SetupStep.Mfa, SetupFlow.First(mfaEnabled: true));
        Assert.Equal(SetupStep.Agent, SetupFlow.Next(SetupStep.Mfa, mfaEnabled: true));
    }

    [Fact]
    public void Next_WalksEveryStepInOrder_AndDoneStaysDone()
    {
        var walked = new List<SetupStep> { SetupFlow.First(false) };
        while (walked[^1] != SetupStep.Done)
        {
            walked.Add(SetupFlow.Next(walked[^1], false));
        }

        Assert.Equal(SetupFlow.Steps(false), walked);
        Assert.Equal(SetupStep.Done, SetupFlow.Next(SetupStep.Done, false));
    }

    [Theory]
    [InlineData("registry", false, SetupStep.Registry)]
    [InlineData("Behaviour", false, SetupStep.Behaviour)]
    [InlineData("done", false, SetupStep.Done)]
    [InlineData("mfa", false, SetupStep.Agent)]   // the flag was turned off since: resume at the first real step
    [InlineData("nonsense", true, SetupStep.Mfa)]
    [InlineData(null, false, SetupStep.Agent)]
    public void Parse_StoredStep_ResumesThere(string? stored, bool mfa, SetupStep expected) =>
        Assert.Equal(expected, SetupFlow.Parse(stored, mfa));

    [Fact]
    public void InstallCommand_NamesTheHubAndTheToken_AsTheReadmeStartsAnAgent()
    {
        var command = SetupFlow.InstallCommand(new Uri("https://10.0.0.5:8481/"), "harbor.lan", "hbe1.abc");

        Assert.Equal(
            "Harbor__Agent__ControllerUrl=https://10.0.0.5:8481 \\\nHarbor__Agent__EnrollmentToken=hbe1.abc \\\ndotnet run --project Harbor.Agent",
            command);
    }

    [Fact]
    public void InstallCommand_WildcardListenAddress_UsesTheHostTheBrowserReached()
    {
        var command = SetupFlow.InstallCommand(new Uri("https://0.0.0.0:8481/"), "harbor.lan", "hbe1.abc");

        Assert.Contains("Harbor__Agent__ControllerUrl=https://harbor.lan:8481 ", command, StringComparison.Ordinal);
    }
}
