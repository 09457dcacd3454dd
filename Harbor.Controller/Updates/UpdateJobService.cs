using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Events;
using Harbor.Controller.Features;
using Harbor.Controller.Inventory;
using Harbor.Controller.Policy;
using Harbor.Protos.Agent.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Updates;

/// <summary>
/// Creates update and rollback jobs and gets them to the one agent that owns the container. A job is
/// persisted before it is sent, so neither a controller crash nor a dropped stream loses it: jobs the
/// agent has not taken yet are sent again when it reconnects (the agent runs a job id at most once).
/// </summary>
internal sealed class UpdateJobService(
    SqliteConnectionFactory connections,
    InventoryQueries inventory,
    ConnectedAgents agents,
    ITargetDigestResolver digests,
    PolicyService policies,
    FeatureFlags features,
    IOptions<UpdateOptions> options,
    EventHub events,
    TimeProvider timeProvider,
    ILogger<UpdateJobService> logger)
{
    public const string UpdatesCapability = "updates.v1";
    public const string BlueGreenCapability = "updates.blue-green.v1";

    /// <summary>Agents that take RestartCommand; restarts for other agents end as refused, saying so.</summary>
    public const string RestartCapability = "restart.v1";

    /// <summary>The trigger of restart jobs: a dependency of the container was updated.</summary>
    public const string DependencyTrigger = "dependency";
    private const int MaxVerifySeconds = 3600;

    // A job waiting for another (restart order) is neither sent nor expired until that one has finished.
    private const string Released = "(after_job_id IS NULL OR after_job_id IN (SELECT id FROM update_jobs WHERE state = 'finished'))";

    // Jobs waiting to be sent or taken, with when they were released (the job they waited for finished): expiry counts from then.
    private const string WaitingJobs =
        $"""
        SELECT j.*, (SELECT a.finished_at FROM update_jobs a WHERE a.id = j.after_job_id) AS released_at
        FROM update_jobs j WHERE j.state IN ('pending', 'sent') AND {Released}
        """;

    // trigger: what started the job — api (default), policy (the automation engine) or approval.
    public async Task<JobStart> StartUpdateAsync(string hostId, string container, UpdateRequest request, string requestedBy, CancellationToken cancellationToken, string trigger = "api")
    {
        var (target, problem) = await FindTargetAsync(hostId, container, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var image = request.Image ?? target!.Image;
        if (!ImageName.TryParse(image, out var name))
        {
            return request.Image is null
                ? JobStart.Problem(StatusCodes.Status422UnprocessableEntity, "No repository to update from",
                    $"The container's image '{image}' names no repository to pull from (it was built or loaded locally, or is referenced by id). " +
                    "Pass \"image\": \"repository:tag\" to say where its updates come from.")
                : JobStart.Invalid("image", $"'{image}' is not an image reference (repository:tag).");
        }

        if (request.TargetDigest is not null && !ImageName.IsDigest(request.TargetDigest))
        {
            return JobStart.Invalid("targetDigest", $"'{request.TargetDigest}' is not a digest (sha256: and 64 lowercase hex digits).");
        }

        var policy = await policies.ResolveAsync(target!, cancellationToken);
        var (strategy, strategyProblem) = ChooseStrategy(request.Strategy, policy, hostId);
        if (strategyProblem is not null)
        {
            return strategyProblem;
        }

        var digest = request.TargetDigest;
        if (request.Image is null && name.Digest is null && policy.Track is { Kind: TrackKind.Semver, Range: { } range })
        {
            // Semver tracking: the job moves the container to the tag its range selects now, pinned to that tag's digest.
            var tracked = await digests.ResolveTrackedAsync(name.TagReference, range, policy.TrackPrerelease, cancellationToken);
            if (tracked.Digest is null)
            {
                return JobStart.Problem(StatusCodes.Status422UnprocessableEntity, "Target digest unavailable",
                    $"Harbor could not find the tag {policy.Track.Text} selects for {name.TagReference}: {tracked.Reason} " +
                    "Fix the registry access, or pass \"image\" and \"targetDigest\" explicitly.");
            }

            if (digest is not null && digest != tracked.Digest)
            {
                return JobStart.Invalid("targetDigest",
                    $"{digest} is not what {name.Repository}:{tracked.Tag} (selected by {policy.Track.Text}) points at now ({tracked.Digest}). " +
                    "Pass \"image\": \"repository:tag\" to say which tag the digest belongs to.");
            }

            name = name with { Tag = tracked.Tag };
            digest = tracked.Digest;
        }

        if (digest is null)
        {
            var resolution = await digests.ResolveAsync(name.TagReference, target!.Platform, cancellationToken);
            if (resolution.Digest is null)
            {
                return JobStart.Problem(StatusCodes.Status422UnprocessableEntity, "Target digest unavailable",
                    $"Harbor could not resolve the current digest of {name.TagReference}: {resolution.Reason} " +
                    "Fix the registry access, or pass \"targetDigest\": \"sha256:…\" with the exact image to install.");
            }

            digest = resolution.Digest;
        }

        if (VerifyProblem(request.Verify) is { } invalid)
        {
            return invalid;
        }

        if (await BlockedAsync(hostId, target!.Name, digest, cancellationToken) is { } blocked)
        {
            return JobStart.Problem(StatusCodes.Status409Conflict, "Digest blocked for this container",
                $"{digest} failed on '{target.Name}' in job {blocked.JobId} ({blocked.Reason}) and is blocked there. " +
                $"Clear it with DELETE /api/v1/containers/{hostId}/{target.Name}/blocked-digests/{digest} to try again.");
        }

        return await CreateAndSendAsync(target, "update", trigger, requestedBy, name.DigestReference(digest),
            name.Digest is null ? name.TagReference : null, request.Verify, cancellationToken, strategy);
    }

    /// <summary>The request's strategy, else the policy's; blue-green only with the feature flag on and an agent that can do it.</summary>
    private (UpdateStrategy Strategy, JobStart? Problem) ChooseStrategy(string? requested, EffectivePolicy policy, string hostId)
    {
        var strategy = policy.Strategy;
        if (requested is not null && !UpdateStrategy.TryParse(requested, out strategy, out var error))
        {
            return (strategy, JobStart.Invalid("strategy", error!));
        }

        if (!strategy.IsBlueGreen)
        {
            return (strategy, null);
        }

        var source = requested is null ? $"{PolicyLabels.Strategy} (or a policy rule)" : "the request";
        if (!features.IsEnabled(FeatureFlags.BlueGreen))
        {
            return (strategy, JobStart.Problem(StatusCodes.Status409Conflict, "Blue-green updates are off",
                $"{source} asks for a blue-green update, but the enable_blue_green feature flag is off. " +
                $"Set {FeatureFlags.SectionName}:{FeatureFlags.BlueGreen}=true to allow them, or ask for \"strategy\": \"recreate\"."));
        }

        if (agents.Find(hostId) is { } agent && !agent.Hello.Capabilities.Contains(BlueGreenCapability))
        {
            return (strategy, JobStart.Problem(StatusCodes.Status409Conflict, "Agent cannot do blue-green updates",
                $"The agent of host '{hostId}' (version {agent.Hello.AgentVersion}) does not support blue-green updates; upgrade it or ask for \"strategy\": \"recreate\"."));
        }

        return (strategy, null);
    }

    /// <summary>Back to the image the container ran before Harbor's last successful job on it, with the same settings.</summary>
    public async Task<JobStart> StartRollbackAsync(string hostId, string container, RollbackRequest request, string requestedBy, CancellationToken cancellationToken)
    {
        var (target, problem) = await FindTargetAsync(hostId, container, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (VerifyProblem(request.Verify) is { } invalid)
        {
            return invalid;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var last = await connection.QueryFirstOrDefaultAsync<UpdateJobRow>(new CommandDefinition(
            """
            SELECT * FROM update_jobs
            WHERE host_id = @hostId AND container_name = @name AND outcome = 'succeeded' AND to_image_id = @imageId AND from_image_id IS NOT NULL
            ORDER BY finished_at DESC LIMIT 1
            """,
            new { hostId, name = target!.Name, imageId = target.ImageId },
            cancellationToken: cancellationToken));
        if (last is null || last.FromImageId == last.ToImageId)
        {
            return JobStart.Problem(StatusCodes.Status409Conflict, "No previous image",
                $"Harbor has no record of the image '{target.Name}' ran before its current one, so there is nothing to roll back to.");
        }

        // Prefer the digest (pullable again if the image was pruned); the agent uses the local copy when it has it.
        var repository = ImageName.TryParse(last.TargetTag ?? last.TargetImage, out var name) ? name.Repository : null;
        var image = last.FromDigest is not null && repository is not null ? $"{repository}@{last.FromDigest}" : last.FromImageId!;
        // Back on the tag it had before (semver tracking moves containers between tags), else the job's tag.
        var tag = last.TargetTag is not null && ImageName.TryParse(last.FromImage, out var from) && from.Digest is null && from.Repository == name?.Repository
            ? from.TagReference
            : last.TargetTag;
        return await CreateAndSendAsync(target, "rollback", "rollback", requestedBy, image, tag, request.Verify, cancellationToken);
    }

    /// <summary>
    /// Restart <paramref name="container"/> in place because a container it depends on was updated. With
    /// <see cref="RestartOrigin.AfterJobId"/> the job waits (pending) until that job has finished, so restarts after
    /// one update run one at a time, in dependency order.
    /// </summary>
    public Task<JobStart> StartRestartAsync(ContainerResponse container, RestartOrigin origin, string requestedBy, VerifyRequest? verify, CancellationToken cancellationToken) =>
        CreateAndSendAsync(container, UpdateMapper.RestartKind, DependencyTrigger, requestedBy, container.Image, null, verify, cancellationToken, restart: origin);

    /// <summary>A job finished: send the restart that waited for it (the next one in dependency order), if any.</summary>
    public async Task ReleaseAfterAsync(string hostId, string finishedJobId, CancellationToken cancellationToken)
    {
        List<UpdateJobRow> next;
        await using (var db = await connections.OpenAsync(cancellationToken))
        {
            next = [.. await db.QueryAsync<UpdateJobRow>(new CommandDefinition(
                "SELECT * FROM update_jobs WHERE host_id = @hostId AND after_job_id = @finishedJobId AND state = 'pending' ORDER BY created_at",
                new { hostId, finishedJobId },
                cancellationToken: cancellationToken))];
        }

        foreach (var job in next)
        {
            if (agents.Find(hostId) is { } agent && agents.IsOnline(hostId))
            {
                await SendAsync(agent, job, cancellationToken);
            }
        }
    }

    /// <summary>Called when an agent's stream is welcomed: send again every job it has not taken, expire those too old.</summary>
    public async Task HostConnectedAsync(AgentConnection connection, CancellationToken cancellationToken)
    {
        List<UpdateJobRow> waiting;
        await using (var db = await connections.OpenAsync(cancellationToken))
        {
            waiting = [.. await db.QueryAsync<UpdateJobRow>(new CommandDefinition(
                $"{WaitingJobs} AND j.host_id = @hostId ORDER BY j.created_at",
                new { hostId = connection.AgentId },
                cancellationToken: cancellationToken))];
        }

        foreach (var job in waiting)
        {
            if (IsExpired(job))
            {
                await ExpireAsync(job, cancellationToken);
                continue;
            }

            Log.JobRedelivered(logger, job.Id, connection.AgentId);
            await SendAsync(connection, job, cancellationToken);
        }
    }

    /// <summary>Ends jobs no agent took within <see cref="UpdateOptions.CommandTimeout"/>.</summary>
    public async Task<int> ExpireOverdueAsync(CancellationToken cancellationToken)
    {
        List<UpdateJobRow> waiting;
        await using (var db = await connections.OpenAsync(cancellationToken))
        {
            waiting = [.. await db.QueryAsync<UpdateJobRow>(new CommandDefinition(
                WaitingJobs, cancellationToken: cancellationToken))];
        }

        var expired = 0;
        foreach (var job in waiting.Where(IsExpired))
        {
            expired += await ExpireAsync(job, cancellationToken) ? 1 : 0;
        }

        return expired;
    }

    private async Task<(ContainerResponse? Container, JobStart? Problem)> FindTargetAsync(string hostId, string container, CancellationToken cancellationToken)
    {
        var lookup = await inventory.FindContainerAsync(hostId, container, cancellationToken);
        if (lookup.Container is null)
        {
            return (null, lookup.Ambiguous
                ? JobStart.Problem(StatusCodes.Status409Conflict, "Ambiguous container id",
                    $"More than one container on host '{hostId}' starts with '{container}'. Use more characters or the full id.")
                : JobStart.Problem(StatusCodes.Status404NotFound, "Container not found", $"Host '{hostId}' has no container '{container}'."));
        }

        if (lookup.Container.Id == ControllerContainer.Id)
        {
            return (null, JobStart.Problem(StatusCodes.Status409Conflict, "Harbor's own controller",
                $"'{lookup.Container.Name}' runs this Harbor controller; replacing it would cut off the controller that records the job. " +
                "Update the controller with its packaging's self-update procedure."));
        }

        var connection = agents.Find(hostId);
        if (connection is null || !agents.IsOnline(hostId))
        {
            return (null, JobStart.Problem(StatusCodes.Status409Conflict, "Host offline",
                $"The agent of host '{hostId}' is not connected; Harbor only starts a job when it can hand it to the agent."));
        }

        if (!connection.Hello.Capabilities.Contains(UpdatesCapability))
        {
            return (null, JobStart.Problem(StatusCodes.Status409Conflict, "Agent cannot update",
                $"The agent of host '{hostId}' (version {connection.Hello.AgentVersion}) does not support updates; upgrade it."));
        }

        return (lookup.Container, null);
    }

    private async Task<JobStart> CreateAndSendAsync(
        ContainerResponse container, string kind, string trigger, string requestedBy, string targetImage, string? targetTag, VerifyRequest? verify,
        CancellationToken cancellationToken, UpdateStrategy? strategy = null, RestartOrigin? restart = null)
    {
        using var activity = JobTracing.StartCreate(kind, trigger, container.HostId, container.Name, targetImage);
        var (traceParent, traceState) = HarborTelemetry.Capture(activity ?? Activity.Current);
        var job = new UpdateJobRow
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            HostId = container.HostId,
            ContainerId = container.Id,
            ContainerName = container.Name,
            Kind = kind,
            Trigger = trigger,
            RequestedBy = requestedBy,
            TargetImage = targetImage,
            TargetTag = targetTag,
            Strategy = (strategy ?? UpdateStrategy.Recreate).Name,
            FromImage = container.Image,
            VerifyStabilityMs = verify?.StabilityWindowSeconds is { } window ? (long)(window * 1000) : null,
            VerifyHealthCapMs = verify?.HealthTimeoutSeconds is { } cap ? (long)(cap * 1000) : null,
            VerifyHttpUrl = verify?.HttpProbeUrl,
            State = UpdateMapper.Pending,
            FromImageId = container.ImageId,
            CreatedAt = DbTime.ToText(timeProvider.GetUtcNow()),
            TraceParent = traceParent,
            TraceState = traceState,
            Cause = restart?.Cause,
            CausedByJobId = restart?.CausedByJobId,
            AfterJobId = restart?.AfterJobId,
        };
        activity?.SetTag("harbor.job.id", job.Id);

        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO update_jobs (id, host_id, container_id, container_name, kind, trigger, requested_by, target_image, target_tag,
                                             verify_stability_ms, verify_health_cap_ms, verify_http_url, state, from_image_id, created_at, strategy, from_image,
                                             trace_parent, trace_state, cause, caused_by_job_id, after_job_id)
                    VALUES (@Id, @HostId, @ContainerId, @ContainerName, @Kind, @Trigger, @RequestedBy, @TargetImage, @TargetTag,
                            @VerifyStabilityMs, @VerifyHealthCapMs, @VerifyHttpUrl, @State, @FromImageId, @CreatedAt, @Strategy, @FromImage,
                            @TraceParent, @TraceState, @Cause, @CausedByJobId, @AfterJobId)
                    """,
                    job,
                    cancellationToken: cancellationToken));
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                var active = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT id FROM update_jobs WHERE host_id = @HostId AND container_name = @ContainerName AND state <> 'finished'",
                    job,
                    cancellationToken: cancellationToken));
                activity?.SetStatus(ActivityStatusCode.Error, "a job is already running");
                return JobStart.Problem(StatusCodes.Status409Conflict, "A job is already running",
                    $"Job {active} is still working on '{container.Name}'; wait for it to finish (GET /api/v1/jobs/{active}).");
            }
        }

        Log.JobCreated(logger, job.Id, kind, container.HostId, container.Name, targetImage, requestedBy);
        events.Publish(EventTypes.JobCreated, container.HostId, new
        {
            jobId = job.Id, hostId = container.HostId, containerId = container.Id, containerName = container.Name, kind, trigger, requestedBy, targetImage,
            cause = job.Cause, causedByJobId = job.CausedByJobId,
        });
        if (agents.Find(container.HostId) is { } agent && await IsReleasedAsync(job, cancellationToken))
        {
            // If this send fails the job stays pending and goes out when the agent reconnects.
            await SendAsync(agent, job, cancellationToken);
        }

        await using var read = await connections.OpenAsync(cancellationToken);
        var stored = await read.QuerySingleAsync<UpdateJobRow>(new CommandDefinition(
            "SELECT * FROM update_jobs WHERE id = @Id", job, cancellationToken: cancellationToken));
        return JobStart.Started(UpdateMapper.ToResponse(stored));
    }

    private async Task<bool> IsReleasedAsync(UpdateJobRow job, CancellationToken cancellationToken)
    {
        if (job.AfterJobId is null)
        {
            return true;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT state FROM update_jobs WHERE id = @AfterJobId", job, cancellationToken: cancellationToken)) is null or UpdateMapper.Finished;
    }

    private async Task SendAsync(AgentConnection agent, UpdateJobRow job, CancellationToken cancellationToken)
    {
        if (job.Kind == UpdateMapper.RestartKind && !agent.Hello.Capabilities.Contains(RestartCapability))
        {
            // Never send a command the agent does not know: the job ends here, saying why.
            await RefuseAsync(job, "agent_unsupported",
                $"The agent of host '{job.HostId}' (version {agent.Hello.AgentVersion}) cannot restart containers (no {RestartCapability}); " +
                $"upgrade it, or restart '{job.ContainerName}' by hand so it reconnects to its updated dependency.", cancellationToken);
            return;
        }

        using var activity = JobTracing.StartSend(job, agent.AgentId);
        var trace = JobTracing.ToWire(activity, job);
        var message = new ControllerMessage();
        if (job.Kind == UpdateMapper.RestartKind)
        {
            message.RestartCommand = ToRestartCommand(job);
            message.RestartCommand.Trace = trace;
        }
        else
        {
            message.UpdateCommand = ToCommand(job);
            message.UpdateCommand.Trace = trace;
        }

        try
        {
            await agent.SendAsync(message);
        }
        catch (Exception e) when (e is ChannelClosedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The stream went away while sending: the job stays pending for the reconnect.
            activity?.SetStatus(ActivityStatusCode.Error, "the stream closed; sent again when the agent reconnects");
            Log.JobSendFailed(logger, job.Id, agent.AgentId);
            return;
        }

        Log.JobSent(logger, job.Id, agent.AgentId);

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE update_jobs SET state = 'sent', sent_at = @At WHERE id = @Id AND state = 'pending'",
            new { job.Id, At = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    private static UpdateCommand ToCommand(UpdateJobRow job)
    {
        var command = new UpdateCommand
        {
            JobId = job.Id,
            ContainerId = job.ContainerId,
            TargetImage = job.TargetImage,
            TargetTag = job.TargetTag ?? "",
            RollbackToPrevious = job.Kind == "rollback",
            Strategy = job.Strategy == UpdateStrategy.BlueGreen.Name ? job.Strategy : "",
            IssuedAt = Timestamp.FromDateTimeOffset(DbTime.Parse(job.CreatedAt)),
            Verify = VerifyOf(job),
        };
        return command;
    }

    private static RestartCommand ToRestartCommand(UpdateJobRow job) => new()
    {
        JobId = job.Id,
        ContainerId = job.ContainerId,
        Reason = job.Cause ?? "",
        IssuedAt = Timestamp.FromDateTimeOffset(DbTime.Parse(job.CreatedAt)),
        Verify = VerifyOf(job),
    };

    private static VerifySettings VerifyOf(UpdateJobRow job) => new()
    {
        // 0 asks for the agent's default; the API's "0 seconds" (no window) is negative on the wire.
        StabilityWindowMs = job.VerifyStabilityMs switch { null => 0, 0 => -1, var ms => (int)ms },
        HealthTimeoutCapMs = (int)(job.VerifyHealthCapMs ?? 0),
        HttpProbeUrl = job.VerifyHttpUrl ?? "",
    };

    /// <summary>Ends a job the controller will not send (the agent lacks the capability), with the reason, as refused.</summary>
    private async Task RefuseAsync(UpdateJobRow job, string code, string reason, CancellationToken cancellationToken)
    {
        int changed;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE update_jobs SET state = 'finished', outcome = 'refused', reason_code = @code, reason = @reason, finished_at = @At
                WHERE id = @Id AND state IN ('pending', 'sent')
                """,
                new { job.Id, code, reason, At = DbTime.ToText(timeProvider.GetUtcNow()) },
                cancellationToken: cancellationToken));
        }

        if (changed == 0)
        {
            return;
        }

        ControllerMetrics.UpdateJobs.WithLabels("refused").Inc();
        Log.JobRefusedByController(logger, job.Id, job.HostId, reason);
        events.Publish(EventTypes.JobFinished, job.HostId, new
        {
            jobId = job.Id, hostId = job.HostId, containerName = job.ContainerName, kind = job.Kind, trigger = job.Trigger,
            outcome = "refused", reasonCode = code, reason, toDigest = (string?)null, durationMs = (long?)null,
            cause = job.Cause, causedByJobId = job.CausedByJobId,
        });
        await ReleaseAfterAsync(job.HostId, job.Id, cancellationToken);
    }

    /// <summary>
    /// No agent took the job within the command timeout, counted from when it could first be sent: its
    /// creation, or for a job that waited for another (restart order) when that one finished — so a restart
    /// released while its agent was offline is not expired the moment the agent comes back.
    /// </summary>
    private bool IsExpired(UpdateJobRow job)
    {
        var created = DbTime.Parse(job.CreatedAt);
        var from = job.ReleasedAt is { } released && DbTime.Parse(released) is var at && at > created ? at : created;
        return timeProvider.GetUtcNow() - from > options.Value.CommandTimeout;
    }

    private async Task<bool> ExpireAsync(UpdateJobRow job, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE update_jobs SET state = 'finished', outcome = 'failed', reason_code = 'expired', reason = @Reason, finished_at = @At
            WHERE id = @Id AND state IN ('pending', 'sent')
            """,
            new
            {
                job.Id,
                At = DbTime.ToText(now),
                Reason = $"The agent did not take the job within {options.Value.CommandTimeout.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min; nothing was changed and it will not be sent again.",
            },
            cancellationToken: cancellationToken));
        if (changed > 0)
        {
            ControllerMetrics.UpdateJobs.WithLabels("failed").Inc();
            Log.JobExpired(logger, job.Id, job.HostId);
            events.Publish(EventTypes.JobFinished, job.HostId, new
            {
                jobId = job.Id, hostId = job.HostId, containerName = job.ContainerName, kind = job.Kind, trigger = job.Trigger,
                outcome = "failed", reasonCode = "expired", reason = "The agent did not take the job in time.", toDigest = (string?)null, durationMs = (long?)null,
                cause = job.Cause, causedByJobId = job.CausedByJobId,
            });
            await ReleaseAfterAsync(job.HostId, job.Id, cancellationToken);
        }

        return changed > 0;
    }

    private async Task<BlockedDigestResponse?> BlockedAsync(string hostId, string containerName, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<(string JobId, string Reason, string BlockedAt)>(new CommandDefinition(
            "SELECT job_id, reason, blocked_at FROM blocked_digests WHERE host_id = @hostId AND container_name = @containerName AND digest = @digest",
            new { hostId, containerName, digest },
            cancellationToken: cancellationToken));
        return row.JobId is null ? null : new BlockedDigestResponse(hostId, containerName, digest, row.JobId, row.Reason, DbTime.Parse(row.BlockedAt));
    }

    private static JobStart? VerifyProblem(VerifyRequest? verify)
    {
        if (verify?.StabilityWindowSeconds is < 0 or > MaxVerifySeconds)
        {
            return JobStart.Invalid("verify.stabilityWindowSeconds", $"Between 0 and {MaxVerifySeconds} seconds.");
        }

        if (verify?.HealthTimeoutSeconds is < 1 or > MaxVerifySeconds)
        {
            return JobStart.Invalid("verify.healthTimeoutSeconds", $"Between 1 and {MaxVerifySeconds} seconds.");
        }

        if (verify?.HttpProbeUrl is { } url && !url.StartsWith(':')
            && !(Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"))
        {
            return JobStart.Invalid("verify.httpProbeUrl", $"'{url}' is not an http(s) URL or :port/path.");
        }

        return null;
    }
}
