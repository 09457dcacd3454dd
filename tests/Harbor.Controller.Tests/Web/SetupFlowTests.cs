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
    public void DockerRunCommand_NamesTheHubTheTokenTheSocketTheStateVolumeAndTheImage()
    {
        var command = SetupFlow.DockerRunCommand(new Uri("https://10.0.0.5:8481/"), "harbor.lan", "hbe1.abc", "harbor/agent:0.1.0");

        Assert.Equal(
            "docker run -d --name harbor-agent --restart unless-stopped \\\n" +
            "  -v /var/run/docker.sock:/var/run/docker.sock \\\n" +
            "  -v harbor-agent:/var/lib/harbor-agent \\\n" +
            "  -e Harbor__Agent__ControllerUrl=https://10.0.0.5:8481 \\\n" +
            "  -e Harbor__Agent__EnrollmentToken=hbe1.abc \\\n" +
            "  -e Harbor__Agent__HostName=\"$(hostname)\" \\\n" +
            "  harbor/agent:0.1.0",
            command);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8481/")]
    [InlineData("https://localhost:8481/")]
    [InlineData("https://[::1]:8481/")]
    public void DockerRunCommand_HubOnLoopback_SharesTheHostNetwork(string hub)
    {
        var command = SetupFlow.DockerRunCommand(new Uri(hub), "harbor.lan", "hbe1.abc", "harbor/agent:0.1.0");

        Assert.Contains("\n  --network host \\\n", command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://0.0.0.0:8481/")]
    [InlineData("https://[::]:8481/")]   // Kestrel's every-interface listener (what the controller image uses)
    public void DockerRunCommand_WildcardListenAddress_UsesTheHostTheBrowserReached_AndTheBridgeNetwork(string hub)
    {
        var command = SetupFlow.DockerRunCommand(new Uri(hub), "harbor.lan", "hbe1.abc", "registry.lan/harbor/agent:0.1.0");

        Assert.Contains("-e Harbor__Agent__ControllerUrl=https://harbor.lan:8481 ", command, StringComparison.Ordinal);
        Assert.DoesNotContain("--network", command, StringComparison.Ordinal);
        Assert.EndsWith("\n  registry.lan/harbor/agent:0.1.0", command, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckoutCommand_NamesTheHubAndTheToken_AsTheReadmeStartsAnAgent()
    {
        var command = SetupFlow.CheckoutCommand(new Uri("https://10.0.0.5:8481/"), "harbor.lan", "hbe1.abc");

        Assert.Equal(
            "Harbor__Agent__ControllerUrl=https://10.0.0.5:8481 \\\nHarbor__Agent__EnrollmentToken=hbe1.abc \\\ndotnet run --project Harbor.Agent",
            command);
    }

    [Fact]
    public void CheckoutCommand_WildcardListenAddress_UsesTheHostTheBrowserReached()
    {
        var command = SetupFlow.CheckoutCommand(new Uri("https://0.0.0.0:8481/"), "harbor.lan", "hbe1.abc");

        Assert.Contains("Harbor__Agent__ControllerUrl=https://harbor.lan:8481 ", command, StringComparison.Ordinal);
    }
}
