using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Tests.Automation;

/// <summary>A bad automation setting stops the controller at start-up and says what is wrong.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class AutomationOptionsTests
{
    [Theory]
    [InlineData("Harbor:Controller:Automation:MaxJobsPerHost", "0", "MaxJobsPerHost")]
    [InlineData("Harbor:Controller:Automation:EvaluateInterval", "00:00:00", "EvaluateInterval")]
    [InlineData("Harbor:Controller:Automation:ApprovalExpiry", "00:00:10", "ApprovalExpiry")]
    [InlineData("Harbor:Controller:Automation:Rollout:SoakTime", "-00:01:00", "SoakTime must be between 0 and 30 days")]
    [InlineData("Harbor:Controller:Automation:Rollout:Groups:1", "canary", "listed once each: canary, canary")]
    public async Task Start_InvalidSetting_FailsWithTheReason(string key, string value, string reason)
    {
        using var data = new TempDirectory("automation-options");
        var settings = new Dictionary<string, string?> { ["Harbor:Controller:Automation:Rollout:Groups:0"] = "canary", [key] = value };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ControllerHost.StartAsync(data.Path, settings: settings));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
