using Harbor.Controller.Automation;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Controller.Notifications.Channels;
using Harbor.Controller.Policy;
using Harbor.Controller.Security.Audit;
using Harbor.Controller.Updates;

namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>
/// Home Assistant's Install button. A press on a channel with allowInstall starts the update Home
/// Assistant showed (the digest of the container's last check) through <see cref="UpdateJobService"/>,
/// with every check the API makes, as the system actor mqtt:&lt;channel&gt;, limited to the channel's
/// installHostGroups like a user to their host groups, and is audited. The container's
/// policy still rules: notify and ignore containers are refused, approve containers get a pending
/// approval instead of an update. Retained messages are never acted on (a broker replays them on every
/// reconnect), and a press while a job for the container is still unfinished changes nothing. A press
/// on a known container that starts no job answers with <see cref="InstallFeedback"/> for Home Assistant.
/// </summary>
internal sealed class HomeAssistantInstaller(
    InventoryQueries inventory,
    PolicyService policies,
    UpdateJobService updates,
    ApprovalService approvals,
    JobQueries jobs,
    AuditLog audit,
    ILogger<HomeAssistantInstaller> logger)
{
    /// <summary>The jobs' trigger.</summary>
    public const string Trigger = "home-assistant";

    /// <summary>The audit action of a press that asked for an approval (an update's is the API's UpdateContainer).</summary>
    public const string ApprovalAction = "RequestApproval";

    public async Task<InstallFeedback?> HandleAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        if (request.Retained)
        {
            Log.InstallIgnored(logger, request.ChannelId, request.Topic, "it is a retained message (the broker replays those on every connect); clear it with an empty retained message");
            return null;
        }

        if (request.Payload != UpdateEntity.InstallPayload)
        {
            Log.InstallIgnored(logger, request.ChannelId, request.Topic, $"the payload is not \"{UpdateEntity.InstallPayload}\"");
            return null;
        }

        var target = AuditTargets.Container(request.HostId ?? "", request.ContainerName ?? "");
        if (!request.Allowed)
        {
            Log.InstallIgnored(logger, request.ChannelId, request.Topic, "installing is off for this channel (its allowInstall setting)");
            await AuditAsync(request, "UpdateContainer", target, false, StatusCodes.Status403Forbidden, "installing is off for this channel (allowInstall)", cancellationToken);
            return null;
        }

        if (request.HostId is null || request.ContainerName is null
            || (await inventory.FindContainerAsync(request.HostId, request.ContainerName, cancellationToken)).Container is not { } container)
        {
            Log.InstallIgnored(logger, request.ChannelId, request.Topic, "no container Harbor knows has this command topic");
            return null;
        }

        if (request.HostGroups.Count > 0
            && (await inventory.GetHostAsync(container.HostId, cancellationToken))?.Group is var group
            && !MqttChannel.InstallsOn(request.HostGroups, group))
        {
            // Like a user limited to host groups: the channel may not touch containers of other hosts.
            return await RefuseAsync(request, container, target, StatusCodes.Status403Forbidden,
                $"host '{container.HostId}' (group {group ?? "none"}) is outside this channel's installHostGroups ({string.Join(", ", request.HostGroups)})", cancellationToken);
        }

        if ((await jobs.ActiveAsync(cancellationToken)).FirstOrDefault(j => j.HostId == container.HostId && j.ContainerName == container.Name) is { } running)
        {
            // A repeated press or a redelivered message (QoS 1 is at least once): the job is already on its way.
            Log.InstallIgnored(logger, request.ChannelId, request.Topic, $"job {running.Id} for this container has not finished yet");
            return null;
        }

        var policy = await policies.ResolveAsync(container, cancellationToken);
        if (policy.Mode is UpdateMode.Notify or UpdateMode.Ignore)
        {
            return await RefuseAsync(request, container, target, StatusCodes.Status409Conflict,
                $"'{container.Name}' has policy mode {policy.Mode.ToString().ToLowerInvariant()}, which promises not to change it; set harbor.policy=auto or approve to allow installing", cancellationToken);
        }

        if (container.Update is not { Status: UpdateStatus.UpdateAvailable, RemoteDigest: { } digest })
        {
            return await RefuseAsync(request, container, target, StatusCodes.Status409Conflict,
                $"no update is available for '{container.Name}' (last check: {container.Update.Status})", cancellationToken);
        }

        if (policy.Mode == UpdateMode.Approve)
        {
            // The button asks; a user with the update permission still decides.
            var approval = await approvals.RequestAsync(container.HostId, container.Id, container.Name, container.Image, digest, cancellationToken);
            var detail = approval is null
                ? $"'{container.Name}' has policy mode approve and was already asked about {digest}: see its approvals"
                : $"'{container.Name}' has policy mode approve: approval {approval.Id} for {digest} created";
            Log.InstallApprovalRequested(logger, request.ChannelId, container.HostId, container.Name, detail);
            await AuditAsync(request, ApprovalAction, target, true, approval is null ? StatusCodes.Status200OK : StatusCodes.Status201Created, detail, cancellationToken);
            return InstallFeedback.For(request, container, $"Waiting for approval in Harbor: {detail}.");
        }

        var start = await updates.StartUpdateAsync(container.HostId, container.Name, new UpdateRequest(TargetDigest: digest), request.Actor, cancellationToken, Trigger);
        if (start.Job is not { } job)
        {
            return await RefuseAsync(request, container, target, start.Status, $"{start.Title}: {start.Detail}", cancellationToken);
        }

        Log.InstallStarted(logger, request.ChannelId, container.HostId, container.Name, job.Id, digest);
        await AuditAsync(request, "UpdateContainer", target, true, StatusCodes.Status202Accepted, $"home assistant install: job {job.Id} to {digest}", cancellationToken);
        // The entity shows the running job itself (in_progress, pull progress).
        return null;
    }

    private async Task<InstallFeedback> RefuseAsync(InstallRequest request, ContainerResponse container, string target, int status, string reason, CancellationToken cancellationToken)
    {
        Log.InstallRefused(logger, request.ChannelId, container.HostId, container.Name, reason);
        await AuditAsync(request, "UpdateContainer", target, false, status, reason, cancellationToken);
        return InstallFeedback.For(request, container, $"Install refused: {reason.TrimEnd('.')}.");
    }

    private Task AuditAsync(InstallRequest request, string action, string target, bool succeeded, int status, string detail, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditEntry(AuditActors.System, "mqtt:" + request.ChannelId, request.Actor, action, target, succeeded, status, null, detail), cancellationToken);
}
