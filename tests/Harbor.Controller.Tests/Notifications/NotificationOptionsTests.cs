using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>A bad notification setting stops the controller at start-up and names the key.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class NotificationOptionsTests
{
    [Theory]
    [InlineData("Harbor:Controller:Notifications:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Harbor:Controller:Notifications:InitialBackoff", "-00:00:01", "Harbor:Controller:Notifications:InitialBackoff must be positive")]
    [InlineData("Harbor:Controller:Notifications:MaxBackoff", "00:00:01", "MaxBackoff must not be shorter than InitialBackoff")]
    [InlineData("Harbor:Controller:Notifications:Concurrency", "100", "Concurrency")]
    public async Task Start_InvalidSetting_FailsWithTheReason(string key, string value, string reason)
    {
        using var data = new TempDirectory("notify-options");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(reason, error.Message);
    }
}
