using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Controller.Notifications.HomeAssistant;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>
/// A refused Install press is shown in Home Assistant only while it still describes the container: a new
/// check result or a job makes it stale, and it never pushes Home Assistant past its 255-character summary.
/// </summary>
public sealed class InstallFeedbackTests
{
    private const string Digest = "sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    private static ContainerResponse Container(string status, string? remoteDigest) =>
        new("h1", "nas", "c1", "web", "registry.local/app:1", "sha256:" + new string('0', 64), [], new Dictionary<string, string>(), "running", "none",
            null, null, null, null, 0, 0, null, [], [], false, DateTimeOffset.UnixEpoch, new UpdateCheckResponse(status, null, remoteDigest, null, null));

    private static InstallFeedback Refused() =>
        new("ch", "h1", "web", UpdateStatus.UpdateAvailable, Digest, "Install refused: 'web' has policy mode notify.");

    [Fact]
    public void StillApplies_SameCheckResultNoJob_Yes_NewDigestNewStatusOrARunningJob_No()
    {
        Assert.True(Refused().StillApplies(Container(UpdateStatus.UpdateAvailable, Digest), jobRunning: false));
        Assert.False(Refused().StillApplies(Container(UpdateStatus.UpdateAvailable, Digest.Replace('a', 'b')), jobRunning: false));
        Assert.False(Refused().StillApplies(Container(UpdateStatus.UpToDate, null), jobRunning: false));
        Assert.False(Refused().StillApplies(Container(UpdateStatus.UpdateAvailable, Digest), jobRunning: true));
    }

    [Fact]
    public void Entity_WithANotice_SaysItBeforeTheSummary_CutToHomeAssistantsLimit()
    {
        var container = Container(UpdateStatus.UpdateAvailable, Digest);

        var plain = Summary(UpdateEntity.From(container, "ha", "harbor", "harbor/status", installable: true, job: null));
        var noticed = Summary(UpdateEntity.From(container, "ha", "harbor", "harbor/status", installable: true, job: null, notice: Refused().Message));
        var longNotice = Summary(UpdateEntity.From(container, "ha", "harbor", "harbor/status", installable: true, job: null, notice: new string('x', 400)));

        Assert.Equal("A newer image is available for registry.local/app:1.", plain);
        Assert.Equal("Install refused: 'web' has policy mode notify. A newer image is available for registry.local/app:1.", noticed);
        Assert.Equal(UpdateEntity.MaxSummaryLength, longNotice.Length);
        Assert.EndsWith("…", longNotice, StringComparison.Ordinal);
    }

    private static string Summary(UpdateEntity entity) =>
        System.Text.Json.JsonDocument.Parse(entity.State).RootElement.GetProperty("release_summary").GetString()!;
}
