using Harbor.Controller.Tests.Checks;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>A local agent token file the controller cannot write stops it at start-up, naming the setting.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class LocalAgentTokenFileTests
{
    [Fact]
    public async Task Start_TokenFileCannotBeWritten_FailsWithTheSettingAndThePath()
    {
        using var data = new TempDirectory("local-agent-token");
        // A file where the directory should be: no user, root included, can create the token file under it.
        var blocker = data.Combine("not-a-directory");
        await File.WriteAllTextAsync(blocker, "", TestContext.Current.CancellationToken);
        var path = Path.Combine(blocker, "enrollment-token");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ControllerHost.StartAsync(
            data.Combine("controller"), settings: new Dictionary<string, string?> { ["Harbor:Controller:Agents:LocalAgentTokenFile"] = path }));

        Assert.Contains("Harbor:Controller:Agents:LocalAgentTokenFile", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
