using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harbor.Agent.Diagnostics;
using Harbor.Agent.Docker;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// Carries out one update job as a sequence of plain steps, each journaled before it is done:
/// check → pull → plan → tag → stop old → rename old → create new → start new → verify → remove old →
/// prune images. A failure before the old container is touched ends the job as failed (or refused);
/// a failure after it rolls back. The old container is never removed before the new one is verified.
/// Blue-green reorders the middle: create the new container under a temporary name beside the running
/// old one (without the shared aliases) → start → verify → switch (aliases to the new one, the old one off
/// its networks) → stop old → rename old → rename new.
/// </summary>
internal sealed class UpdateExecutor(
    IDockerEngine engine,
    JobJournal journal,
    JobOutbox outbox,
    ContainerVerifier verifier,
    ContainerRestorer restorer,
    ImageRetention retention,
    RegistryCredentials credentials,
    TimeProvider timeProvider,
    ILogger<UpdateExecutor> logger)
{
    private const int InspectConcurrency = 8;
    private static readonly TimeSpan ShutdownRollbackTime = TimeSpan.FromSeconds(20);

    public async Task RunAsync(JobRecord job, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        var run = new JobRun(job, new JobReporter(job, outbox, timeProvider));
        using var scope = logger.BeginScope(new JobScope(job.JobId));
        run.Reporter.Event(JobStep.Accepted, $"accepted: {job.TargetImage}");
        Log.JobStarted(logger, job.JobId, job.ContainerId, job.TargetImage);

        try
        {
            await PrepareAsync(run, auth, cancellationToken);
        }
        catch (JobFailure failure)
        {
            await FinishAsync(run, failure.Refused ? JobOutcome.Refused : JobOutcome.Failed, failure.Code, failure.Message, job.ContainerId);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var code = e is EngineUnavailableException or EngineRequestException ? "engine_error" : "internal_error";
            await FinishAsync(run, JobOutcome.Failed, code, $"{e.Message} Nothing was changed.", job.ContainerId);
            return;
        }

        if (run.AlreadyCurrent)
        {
            await FinishAsync(run, JobOutcome.Succeeded, "", $"'{job.ContainerName}' already runs {job.TargetImage}; nothing to do.", job.ContainerId);
            return;
        }

        try
        {
            await ReplaceAsync(run, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent is stopping: put the old container back now rather than leave it down until the next start.
            // If this does not finish in time, start-up recovery does it from the journal.
            using var grace = new CancellationTokenSource(ShutdownRollbackTime, timeProvider);
            await RollBackAsync(run, "agent_stopped", "The agent was stopped during the update.", grace.Token);
            return;
        }
        catch (Exception e)
        {
            // Whatever went wrong after the old container was touched, the answer is the same: put it back.
            var code = e is JobFailure failure ? failure.Code : FailedStepCode(job.Step);
            await RollBackAsync(run, code, e.Message, cancellationToken);
            return;
        }

        await CompleteAsync(run, cancellationToken);
    }

    /// <summary>Check, pull and plan: nothing on the host changes (except that an image is pulled).</summary>
    private async Task PrepareAsync(JobRun run, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        var job = run.Job;
        run.Old = await StepAsync(run, JobStep.Check, async step =>
        {
            var old = await engine.InspectContainerJsonAsync(job.ContainerId, cancellationToken)
                ?? throw new JobFailure("not_found", $"There is no container {Short(job.ContainerId)} on this host any more.") { Refused = true };
            var others = await InspectOthersAsync(job.ContainerId, cancellationToken);
            if (UpdateRefusals.Check(old, others, SelfContainer.Id) is { } refusal)
            {
                throw new JobFailure("refused", refusal) { Refused = true };
            }

            if (job.BlueGreen && BlueGreenRefusals.Check(old) is { } notBlueGreen)
            {
                throw new JobFailure("blue_green_not_applicable", notBlueGreen) { Refused = true };
            }

            lock (job)
            {
                job.ContainerName = Name(old);
                job.WasRunning = Flag(old["State"]?["Running"]);
                job.OldImageId = Text(old["Image"]);
            }

            step.Message = $"{job.ContainerName} is {Text(old["State"]?["Status"])}, image {Text(old["Config"]?["Image"])}";
            return old;
        }, cancellationToken);

        run.NewImage = await StepAsync(run, JobStep.Pull, step => PullAsync(run, auth, step, cancellationToken), cancellationToken);
        var newImageId = Text(run.NewImage["Id"]);
        lock (job)
        {
            job.ToImageId = newImageId;
            var repository = TargetRepository(job);
            job.ToDigest = ImageReference.TryParse(job.TargetImage, out var target, out _) && target.Digest is not null
                ? target.Digest
                : DigestIn(repository, run.NewImage);
            job.FromDigest = DigestIn(repository, run.OldImage);
        }

        if (job.OldImageId == newImageId)
        {
            run.AlreadyCurrent = true;
            return;
        }

        run.Plan = await StepAsync(run, JobStep.Plan, async step =>
        {
            var reference = ChooseReference(Text(run.Old["Config"]?["Image"]), job.TargetTag, job.TargetImage);
            var plan = CreateRequestBuilder.Build(run.Old, run.OldImage, reference, newImageId, engine.ApiVersion);
            if (reference != job.TargetImage && !string.IsNullOrEmpty(job.TargetTag))
            {
                // Remember where the tag pointed, durably (the TAG step's journal write), to move it back on rollback.
                var current = await engine.InspectImageJsonAsync(job.TargetTag, cancellationToken);
                job.TagPreviousImageId = current is null ? null : Text(current["Id"]);
                run.MovesTag = true;
            }

            foreach (var note in plan.Notes)
            {
                run.Reporter.Event(JobStep.Plan, note);
            }

            step.Message = $"create as {reference}" + (plan.ConnectBeforeStart.Count > 0 ? $", then connect {plan.ConnectBeforeStart.Count} more network(s)" : "")
                + (plan.Notes.Count > 0 ? "; " + string.Join(" ", plan.Notes) : "");
            return plan;
        }, cancellationToken);
    }

    private async Task<JsonObject> PullAsync(JobRun run, RegistryAuth? auth, StepRecord step, CancellationToken cancellationToken)
    {
        var job = run.Job;
        run.OldImage = await engine.InspectImageJsonAsync(job.OldImageId!, cancellationToken);

        if (!ImageReference.TryParse(job.TargetImage, out var target, out _) || target.Digest is null)
        {
            // A rollback to a local image id: it is used as it is, or not at all.
            step.Message = "using the local image";
            return await engine.InspectImageJsonAsync(job.TargetImage, cancellationToken)
                ?? throw new JobFailure("pull_failed", $"The previous image {Short(job.TargetImage)} is no longer on this host and has no digest to pull it by.");
        }

        // Content addressed by digest never changes: if it is here, it is exactly what was asked for.
        if (await engine.InspectImageJsonAsync(job.TargetImage, cancellationToken) is { } present)
        {
            step.Message = "already present";
            return present;
        }

        var header = auth is not null
            ? RegistryCredentials.EncodeHeader(auth.ServerAddress is { Length: > 0 } server ? server : target.Registry, auth.Username, auth.Password, auth.IdentityToken)
            : await credentials.FromDockerConfigAsync(target.Registry, cancellationToken);
        var layers = new Dictionary<string, (long Current, long Total)>(StringComparer.Ordinal);
        var progress = new Progress(message =>
        {
            if (message.LayerId is null || message.Total is not > 0)
            {
                return;
            }

            double fraction;
            lock (layers)
            {
                layers[message.LayerId] = (message.Current ?? 0, message.Total.Value);
                fraction = layers.Values.Sum(l => (double)l.Current) / layers.Values.Sum(l => (double)l.Total);
            }

            run.Reporter.Progress(JobStep.Pull, $"pulling {layers.Count} layer(s)", fraction);
        });

        try
        {
            await engine.PullImageAsync(job.TargetImage, header, progress, cancellationToken);
        }
        catch (EngineRequestException e)
        {
            throw new JobFailure("pull_failed", $"Pulling {job.TargetImage} failed: {e.Message}. Nothing was changed.", e);
        }

        step.Message = $"pulled {layers.Count} layer(s)" + (header is null ? "" : " with credentials");
        return await engine.InspectImageJsonAsync(job.TargetImage, cancellationToken)
            ?? throw new JobFailure("pull_failed", $"The engine reported {job.TargetImage} pulled, but cannot find it.");
    }

    /// <summary>From here on the old container is touched; any failure rolls back.</summary>
    private async Task ReplaceAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var name = job.ContainerName!;

        if (run.MovesTag && ImageReference.TryParse(job.TargetTag, out var tag, out _))
        {
            await StepAsync(run, JobStep.Tag, async step =>
            {
                if (job.TagPreviousImageId != job.ToImageId)
                {
                    await engine.TagImageAsync(job.ToImageId!, tag.Repository, tag.Tag!, cancellationToken);
                }

                step.Message = $"{job.TargetTag} → {Short(job.ToImageId!)}";
                return true;
            }, cancellationToken);
        }

        if (job.BlueGreen)
        {
            await ReplaceBlueGreenAsync(run, cancellationToken);
            return;
        }

        await StepAsync(run, JobStep.StopOld, async step =>
        {
            var timeout = ContainerRestorer.StopTimeout(run.Old!);
            var started = timeProvider.GetTimestamp();
            await engine.StopContainerAsync(job.ContainerId, timeout, cancellationToken);
            step.Message = job.WasRunning ? $"stopped in {Seconds(timeProvider.GetElapsedTime(started))}" : "was not running";
            return true;
        }, cancellationToken);

        job.RenamedTo = $"{name}-harbor-old-{job.JobId}";
        await StepAsync(run, JobStep.RenameOld, async step =>
        {
            await engine.RenameContainerAsync(job.ContainerId, job.RenamedTo, cancellationToken);
            step.Message = $"old container is now {job.RenamedTo}";
            return true;
        }, cancellationToken);

        var newId = await CreateNewAsync(run, name, run.Plan!, cancellationToken);
        if (!job.WasRunning)
        {
            // The old container was stopped: so is the new one. Starting it would change what the user chose.
            run.Notes.Add("The container was not running, so the new one was created but not started (and not verified).");
            return;
        }

        await StartAndVerifyAsync(run, newId, cancellationToken);
    }

    /// <summary>
    /// Blue-green: the old container keeps serving until the new one, running beside it on the same networks
    /// (without the shared aliases, so no client reaches it yet), has passed verification. Then the new one
    /// takes the aliases, the old one leaves its networks (DNS answers only with the new one from that
    /// moment) and stops, and the new one takes the original name.
    /// </summary>
    private async Task ReplaceBlueGreenAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var name = job.ContainerName!;
        job.NewName = $"{name}-harbor-new-{job.JobId}";
        var (staged, atSwitch) = BlueGreenStaging.Stage(run.Plan!, name);
        var newId = await CreateNewAsync(run, job.NewName, staged, cancellationToken);
        await StartAndVerifyAsync(run, newId, cancellationToken);

        await StepAsync(run, JobStep.Switch, async step =>
        {
            foreach (var (network, endpoint) in atSwitch)
            {
                // Aliases can only be set when connecting: reconnect the verified container with them.
                await engine.DisconnectNetworkAsync(network, newId, cancellationToken);
                await engine.ConnectNetworkAsync(network, newId, endpoint, cancellationToken);
            }

            var shortId = job.ContainerId[..12];
            var networks = run.Old!["NetworkSettings"]?["Networks"] as JsonObject ?? [];
            job.DrainedNetworks = networks
                .Where(n => n.Value is JsonObject)
                .ToDictionary(n => n.Key, n => CreateRequestBuilder.EndpointSettings((JsonObject)n.Value!, shortId).ToJsonString(), StringComparer.Ordinal);
            // Durable before the first disconnect: a rollback (or recovery) reconnects exactly these.
            await journal.SaveAsync(job, cancellationToken);
            foreach (var network in job.DrainedNetworks.Keys)
            {
                await engine.DisconnectNetworkAsync(network, job.ContainerId, cancellationToken);
            }

            step.Message = $"the new container answers for {atSwitch.Count} network(s); took the old one off {job.DrainedNetworks.Count}";
            return true;
        }, cancellationToken);

        await StepAsync(run, JobStep.StopOld, async step =>
        {
            var started = timeProvider.GetTimestamp();
            await engine.StopContainerAsync(job.ContainerId, ContainerRestorer.StopTimeout(run.Old!), cancellationToken);
            step.Message = $"stopped in {Seconds(timeProvider.GetElapsedTime(started))}";
            return true;
        }, cancellationToken);

        job.RenamedTo = $"{name}-harbor-old-{job.JobId}";
        await StepAsync(run, JobStep.RenameOld, async step =>
        {
            await engine.RenameContainerAsync(job.ContainerId, job.RenamedTo, cancellationToken);
            step.Message = $"old container is now {job.RenamedTo}";
            return true;
        }, cancellationToken);

        await StepAsync(run, JobStep.RenameNew, async step =>
        {
            await engine.RenameContainerAsync(newId, name, cancellationToken);
            step.Message = $"{job.NewName} is now {name}";
            return true;
        }, cancellationToken);
    }

    /// <summary>Creates the new container (under <paramref name="name"/>), attaches its other networks and checks it runs exactly the target image.</summary>
    private async Task<string> CreateNewAsync(JobRun run, string name, RecreatePlan plan, CancellationToken cancellationToken)
    {
        var job = run.Job;
        return await StepAsync(run, JobStep.CreateNew, async step =>
        {
            string id;
            try
            {
                id = await engine.CreateContainerAsync(name, plan.CreateBody, cancellationToken);
            }
            catch (EngineRequestException e)
            {
                throw new JobFailure("create_failed", $"Creating the new container failed: {e.Message}", e);
            }

            job.NewContainerId = id;
            await journal.SaveAsync(job, cancellationToken);
            foreach (var connection in plan.ConnectBeforeStart)
            {
                await engine.ConnectNetworkAsync(connection.Network, id, connection.Endpoint, cancellationToken);
            }

            // Digest-pinned: the tag could have moved between TAG and create; the container must run exactly the target.
            var created = await engine.InspectContainerJsonAsync(id, cancellationToken);
            if (Text(created?["Image"]) != job.ToImageId)
            {
                throw new JobFailure("image_mismatch",
                    $"The new container was created from {Short(Text(created?["Image"]))}, not the target {Short(job.ToImageId!)} (the tag moved during the job).");
            }

            step.Message = $"created {Short(id)}" + (name != job.ContainerName ? $" as {name}" : "")
                + (plan.ConnectBeforeStart.Count > 0 ? $" and connected {plan.ConnectBeforeStart.Count} network(s)" : "");
            return id;
        }, cancellationToken);
    }

    private async Task StartAndVerifyAsync(JobRun run, string newId, CancellationToken cancellationToken)
    {
        var job = run.Job;
        await StepAsync(run, JobStep.StartNew, async step =>
        {
            try
            {
                await engine.StartContainerAsync(newId, cancellationToken);
            }
            catch (EngineRequestException e)
            {
                throw new JobFailure("start_failed", $"Starting the new container failed: {e.Message}", e);
            }

            step.Message = "started";
            return true;
        }, cancellationToken);

        await StepAsync(run, JobStep.Verify, async step =>
        {
            step.Message = await verifier.VerifyAsync(job, newId, run.Reporter, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Verified: the old container can go. Failures here no longer undo the update.</summary>
    private async Task CompleteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var notes = run.Notes;
        await StepAsync(run, JobStep.RemoveOld, async step =>
        {
            try
            {
                await engine.RemoveContainerAsync(job.ContainerId, force: false, cancellationToken);
                step.Message = $"removed {job.RenamedTo}";
            }
            catch (Exception e) when (e is EngineRequestException or EngineUnavailableException)
            {
                step.Error = e.Message;
                notes.Add($"The old container {job.RenamedTo} could not be removed ({e.Message}); remove it by hand.");
            }

            return true;
        }, cancellationToken);

        await StepAsync(run, JobStep.PruneImages, async step =>
        {
            try
            {
                step.Message = await retention.PruneAsync(job, cancellationToken);
            }
            catch (Exception e) when (e is EngineRequestException or EngineUnavailableException)
            {
                step.Error = e.Message;
            }

            return true;
        }, cancellationToken);

        await FinishAsync(run, JobOutcome.Succeeded, "", string.Join(" ", notes), job.NewContainerId!);
    }

    private async Task RollBackAsync(JobRun run, string code, string reason, CancellationToken cancellationToken)
    {
        var job = run.Job;
        job.FailureCode = code;
        job.FailureReason = reason;
        Log.JobRollingBack(logger, job.JobId, job.ContainerName ?? job.ContainerId, code, reason);
        try
        {
            await StepAsync(run, JobStep.Rollback, async step =>
            {
                step.Message = await restorer.RestoreAsync(job, cancellationToken);
                return true;
            }, cancellationToken);
            await FinishAsync(run, JobOutcome.RolledBack, code, $"{reason} Rolled back: '{job.ContainerName}' runs the previous image again.", job.ContainerId);
        }
        catch (Exception e) when (e is JobFailure or EngineUnavailableException or EngineRequestException or OperationCanceledException)
        {
            await FinishAsync(run, JobOutcome.Failed, code,
                $"{reason} Rolling back failed too: {e.Message} The old container is {job.ContainerId[..12]}" +
                (job.RenamedTo is null ? "" : $" (possibly still named {job.RenamedTo})") + "; the agent did not remove it.",
                job.ContainerId);
        }
    }

    /// <summary>Records the outcome durably, then reports it. Also used by start-up recovery.</summary>
    public async Task FinishAsync(JobRun run, JobOutcome outcome, string code, string reason, string finalContainerId)
    {
        var job = run.Job;
        lock (job)
        {
            job.Outcome = outcome;
            job.ReasonCode = code;
            job.Reason = reason;
            job.FinalContainerId = finalContainerId;
            job.FinishedAt = timeProvider.GetUtcNow();
        }

        // The outcome must reach the disk even when the agent is stopping, or a replay would run the job again.
        await journal.SaveAsync(job, CancellationToken.None);
        AgentMetrics.UpdateJobs.WithLabels(OutcomeName(outcome)).Inc();
        JobTracing.Finished(outcome, code, reason);
        Log.JobFinished(logger, job.JobId, job.ContainerName ?? job.ContainerId, OutcomeName(outcome), reason);
        run.Reporter.Event(job.Step, $"{OutcomeName(outcome)}{(reason.Length > 0 ? ": " + reason : "")}", 1);
        outbox.Publish(JobReporter.Result(job));
    }

    /// <summary>Journals the step as begun, then does it, recording how long it took and how it ended.</summary>
    internal async Task<T> StepAsync<T>(JobRun run, JobStep stepName, Func<StepRecord, Task<T>> action, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var step = new StepRecord { Step = stepName, StartedAt = timeProvider.GetUtcNow() };
        lock (job)
        {
            job.Step = stepName;
            job.Steps.Add(step);
        }

        await journal.SaveAsync(job, cancellationToken);
        FaultInjection.At(stepName);
        using var activity = JobTracing.StartStep(stepName);
        var name = FaultInjection.StepName(stepName);
        Log.StepStarted(logger, job.JobId, name);
        run.Reporter.Event(stepName, name.Replace('_', ' '));
        try
        {
            var result = await action(step);
            step.FinishedAt = timeProvider.GetUtcNow();
            var elapsed = (step.FinishedAt.Value - step.StartedAt).TotalSeconds;
            AgentMetrics.UpdateStepDuration.WithLabels(name).Observe(elapsed);
            if (step.Error is not null)
            {
                // The step went on despite the error (e.g. the old container could not be removed): say so.
                activity?.SetStatus(ActivityStatusCode.Error, step.Error);
            }

            Log.StepFinished(logger, job.JobId, name, (long)(elapsed * 1000), step.Message ?? "done");
            run.Reporter.Event(stepName, step.Message ?? "done", 1);
            return result;
        }
        catch (Exception e)
        {
            step.FinishedAt = timeProvider.GetUtcNow();
            step.Error = e.Message;
            AgentMetrics.UpdateStepDuration.WithLabels(name).Observe((step.FinishedAt.Value - step.StartedAt).TotalSeconds);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Log.StepFailed(logger, job.JobId, name, e.Message);
            throw;
        }
    }

    private async Task<List<JsonObject>> InspectOthersAsync(string containerId, CancellationToken cancellationToken)
    {
        var listed = await engine.ListContainersAsync(cancellationToken);
        var others = new JsonObject?[listed.Count];
        await Parallel.ForEachAsync(
            listed.Select((c, i) => (c.ID, i)).Where(c => c.ID != containerId),
            new ParallelOptions { MaxDegreeOfParallelism = InspectConcurrency, CancellationToken = cancellationToken },
            async (item, ct) => others[item.i] = await engine.InspectContainerJsonAsync(item.ID, ct));
        return [.. others.OfType<JsonObject>()];
    }

    /// <summary>
    /// What the new container's Config.Image says: the tag when the container referred to a tag (its own
    /// spelling when it names the same tag, e.g. "nginx" for nginx:latest), else the exact target.
    /// </summary>
    internal static string ChooseReference(string oldReference, string? targetTag, string targetImage)
    {
        if (string.IsNullOrEmpty(targetTag) || oldReference.Contains('@', StringComparison.Ordinal))
        {
            return targetImage;
        }

        return ImageReference.TryParse(oldReference, out var old, out _) && ImageReference.TryParse(targetTag, out var tag, out _)
            && old.Repository == tag.Repository && (old.Tag ?? "latest") == tag.Tag
            ? oldReference
            : targetTag;
    }

    /// <summary>The image's digest in this repository (from its RepoDigests), or null when it has none there.</summary>
    private static string? DigestIn(string? repository, JsonObject? image)
    {
        foreach (var repoDigest in Strings(image?["RepoDigests"]))
        {
            var at = repoDigest.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && repoDigest[..at] == repository)
            {
                return repoDigest[(at + 1)..];
            }
        }

        // A digest from another repository would name content the controller could not pull back by this repository.
        return null;
    }

    /// <summary>The repository the job installs from: the target's, else (rollback to a local id) the tag's.</summary>
    private static string? TargetRepository(JobRecord job) =>
        ImageReference.TryParse(job.TargetImage, out var target, out _) ? target.Repository
        : ImageReference.TryParse(job.TargetTag, out var tag, out _) ? tag.Repository
        : null;

    private static string FailedStepCode(JobStep step) => FaultInjection.StepName(step) + "_failed";

    public static string OutcomeName(JobOutcome outcome) => outcome switch
    {
        JobOutcome.Succeeded => "succeeded",
        JobOutcome.RolledBack => "rolled_back",
        JobOutcome.Failed => "failed",
        JobOutcome.Refused => "refused",
        _ => "unknown",
    };

    private static string Short(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..Math.Min(id.Length, 19)] : id[..Math.Min(id.Length, 12)];

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private sealed class Progress(Action<PullProgress> report) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => report(value);
    }
}
