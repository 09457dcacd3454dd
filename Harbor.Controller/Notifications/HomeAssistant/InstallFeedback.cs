using Harbor.Controller.Inventory;

namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>
/// What became of an Install press that started nothing (refused, or turned into an approval request), for
/// the container's entity in Home Assistant: without it a refused press looks like a button that does
/// nothing. It applies while the container's check result is the one the press saw and no job runs for it;
/// a new check result or a job makes it stale.
/// </summary>
internal sealed record InstallFeedback(string ChannelId, string HostId, string ContainerName, string Status, string? RemoteDigest, string Message)
{
    public static InstallFeedback For(InstallRequest request, ContainerResponse container, string message) =>
        new(request.ChannelId, container.HostId, container.Name, container.Update.Status, container.Update.RemoteDigest, message);

    public (string ChannelId, string HostId, string ContainerName) Key => (ChannelId, HostId, ContainerName);

    public bool StillApplies(ContainerResponse container, bool jobRunning) =>
        !jobRunning && container.Update.Status == Status && container.Update.RemoteDigest == RemoteDigest;
}
