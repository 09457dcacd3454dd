using Harbor.Testing;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Tests.Checks;

/// <summary>A bad detection setting stops the controller at start-up and names the key.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class DetectionOptionsTests
{
    [Theory]
    [InlineData("Harbor:Controller:Registries:Endpoints:0:Host", "not a host!", "is not a registry host")]
    [InlineData("Harbor:Controller:Registries:Endpoints:0:CaCertificateFile", "/no/such/ca.pem", "does not exist")]
    [InlineData("Harbor:Controller:Checks:Interval", "00:00:05", "Interval")]
    [InlineData("Harbor:Controller:Webhooks:Secret", "short", "at least 16 characters")]
    public async Task Start_InvalidSetting_FailsWithTheReason(string key, string value, string reason)
    {
        using var data = new TempDirectory("options");
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.Contains("Endpoints", StringComparison.Ordinal) && !key.EndsWith("Host", StringComparison.Ordinal))
        {
            settings["Harbor:Controller:Registries:Endpoints:0:Host"] = "registry.example:5000";
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ControllerHost.StartAsync(data.Path, settings: settings));

        Assert.Contains(reason, error.Message);
    }
}
