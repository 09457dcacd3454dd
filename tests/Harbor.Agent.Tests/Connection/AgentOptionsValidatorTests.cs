using Harbor.Agent.Connection;
using Harbor.Agent.Updates;

namespace Harbor.Agent.Tests.Connection;

/// <summary>The generated validators (NativeAOT has no reflection-based DataAnnotations) keep every rule of the annotations.</summary>
public sealed class AgentOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new AgentOptionsValidator().Validate(null, new AgentOptions()).Succeeded);
        Assert.True(new UpdateOptionsValidator().Validate(null, new UpdateOptions()).Succeeded);
    }

    [Fact]
    public void Validate_PlainHttpWithoutDevToken_FailsWithTheReason()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { ControllerUrl = "http://controller.lan:8481" });

        Assert.True(result.Failed);
        Assert.Contains("must be https://", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RangeAndLengthAnnotations_AreChecked()
    {
        var agent = new AgentOptions { ReconnectMinDelay = TimeSpan.Zero, HostName = new string('h', 254) };
        var update = new UpdateOptions { HealthTimeoutCap = TimeSpan.FromHours(2), MaxConcurrentJobs = 0 };

        var agentResult = new AgentOptionsValidator().Validate(null, agent);
        var updateResult = new UpdateOptionsValidator().Validate(null, update);

        Assert.Contains(nameof(AgentOptions.ReconnectMinDelay), agentResult.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(AgentOptions.HostName), agentResult.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(UpdateOptions.HealthTimeoutCap), updateResult.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(nameof(UpdateOptions.MaxConcurrentJobs), updateResult.FailureMessage, StringComparison.Ordinal);
    }
}
