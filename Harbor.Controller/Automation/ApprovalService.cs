using System.Security.Cryptography;
using Harbor.Controller.Events;
using Harbor.Controller.Updates;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Automation;

/// <summary>
/// The approval workflow: the engine asks (once per container and digest), a user approves (which
/// starts the digest-pinned job at once) or rejects, and nobody deciding in time lets it expire.
/// </summary>
internal sealed class ApprovalService(
    ApprovalStore store,
    UpdateJobService updates,
    EventHub events,
    IOptions<AutomationOptions> options,
    TimeProvider timeProvider,
    ILogger<ApprovalService> logger)
{
    public const string Trigger = "approval";

    /// <summary>Creates a pending approval unless this container was already asked about this digest.</summary>
    public async Task<ApprovalRow?> RequestAsync(string hostId, string containerId, string containerName, string image, string digest, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var created = await store.CreateAsync(new ApprovalRow
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            HostId = hostId,
            ContainerId = containerId,
            ContainerName = containerName,
            Image = image,
            TargetDigest = digest,
            CreatedAt = Data.DbTime.ToText(now),
            ExpiresAt = Data.DbTime.ToText(now + options.Value.ApprovalExpiry),
        }, cancellationToken);
        if (created is not null)
        {
            Log.ApprovalCreated(logger, created.Id, containerName, hostId, digest);
            events.Publish(EventTypes.ApprovalCreated, hostId, ApprovalResponse.From(created));
        }

        return created;
    }

    public async Task<ApprovalOutcome> ApproveAsync(string id, string decidedBy, string? comment, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(id, ApprovalRow.Approved, decidedBy, comment, cancellationToken) is { Approval: null } problem)
        {
            return problem;
        }

        var approval = (await store.GetAsync(id, cancellationToken))!;
        var start = await updates.StartUpdateAsync(
            approval.HostId, approval.ContainerName, new UpdateRequest(TargetDigest: approval.TargetDigest), decidedBy, cancellationToken, Trigger);
        if (start.Job is not { } job)
        {
            // Nothing ran: put it back so the user can retry once the cause is fixed, or reject it.
            await store.ReopenAsync(id, cancellationToken);
            return ApprovalOutcome.Problem(start.Status, $"Approved, but the update could not start: {start.Title}",
                $"{start.Detail} The approval stays pending.");
        }

        await store.SetJobAsync(id, job.Id, cancellationToken);
        var approved = (await store.GetAsync(id, cancellationToken))!;
        Log.ApprovalDecided(logger, id, ApprovalRow.Approved, decidedBy);
        events.Publish(EventTypes.ApprovalApproved, approved.HostId, ApprovalResponse.From(approved));
        return ApprovalOutcome.Done(approved);
    }

    public async Task<ApprovalOutcome> RejectAsync(string id, string decidedBy, string? comment, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(id, ApprovalRow.Rejected, decidedBy, comment, cancellationToken) is { Approval: null } problem)
        {
            return problem;
        }

        var rejected = (await store.GetAsync(id, cancellationToken))!;
        Log.ApprovalDecided(logger, id, ApprovalRow.Rejected, decidedBy);
        events.Publish(EventTypes.ApprovalRejected, rejected.HostId, ApprovalResponse.From(rejected));
        return ApprovalOutcome.Done(rejected);
    }

    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var expired = await store.ExpireAsync(timeProvider.GetUtcNow(), cancellationToken);
        foreach (var approval in expired)
        {
            Log.ApprovalDecided(logger, approval.Id, ApprovalRow.Expired, "expiry");
            events.Publish(EventTypes.ApprovalExpired, approval.HostId, ApprovalResponse.From(approval));
        }

        return expired.Count;
    }

    private async Task<ApprovalOutcome> ClaimAsync(string id, string state, string decidedBy, string? comment, CancellationToken cancellationToken)
    {
        if (comment is { Length: > 1000 })
        {
            return ApprovalOutcome.Problem(StatusCodes.Status400BadRequest, "Comment too long", "A comment has at most 1000 characters.");
        }

        // Expire first, so an approval past its time is never approved late.
        await ExpireDueAsync(cancellationToken);
        if (await store.DecideAsync(id, state, decidedBy, comment, timeProvider.GetUtcNow(), cancellationToken))
        {
            return new ApprovalOutcome(ApprovalResponse.From((await store.GetAsync(id, cancellationToken))!), StatusCodes.Status200OK, null, null);
        }

        return await store.GetAsync(id, cancellationToken) is { } existing
            ? ApprovalOutcome.Problem(StatusCodes.Status409Conflict, "Approval already decided",
                $"Approval {id} is {existing.State}{(existing.DecidedBy is null ? "" : $" (by {existing.DecidedBy})")}; only a pending approval can be approved or rejected.")
            : ApprovalOutcome.Problem(StatusCodes.Status404NotFound, "Approval not found", $"There is no approval '{id}'.");
    }
}
