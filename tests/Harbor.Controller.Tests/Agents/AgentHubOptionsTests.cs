using System.ComponentModel.DataAnnotations;
using Harbor.Controller.Agents;

namespace Harbor.Controller.Tests.Agents;

/// <summary>
/// <c>Harbor:Controller:Agents:PublicUrl</c> is pasted into every enrollment command: a value agents could not
/// use stops the controller at start-up instead of producing commands that fail on the host.
/// </summary>
public sealed class AgentHubOptionsTests
{
    [Theory]
    [InlineData("https://nas.lan:9481", null)]
    [InlineData("https://10.0.0.5:8481/", null)]
    [InlineData("http://127.0.0.1:8481", "dev-token-0123456789")]
    public void PublicUrl_AHubAddressInTheHubsScheme_IsAccepted(string publicUrl, string? devToken) =>
        Assert.Empty(Errors(new AgentHubOptions { PublicUrl = publicUrl, DevToken = devToken }));

    [Theory]
    [InlineData("http://nas.lan:8481", null, "https://")]
    [InlineData("https://nas.lan:8481", "dev-token-0123456789", "http://")]
    [InlineData("nas.lan:8481", null, "absolute")]
    [InlineData("https://nas.lan:8481/agents", null, "without a path")]
    [InlineData("https://user:secret@nas.lan:8481", null, "e.g. https://harbor.lan:8481")]
    public void PublicUrl_AgentsCouldNotUseIt_IsRefusedWithTheReason(string publicUrl, string? devToken, string reason)
    {
        var error = Assert.Single(Errors(new AgentHubOptions { PublicUrl = publicUrl, DevToken = devToken }));

        Assert.Contains("PublicUrl", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(reason, error.ErrorMessage, StringComparison.Ordinal);
    }

    private static List<ValidationResult> Errors(AgentHubOptions options) => [.. options.Validate(new ValidationContext(options))];
}
