using System.Globalization;
using System.Text.Json.Nodes;
using Harbor.Agent.Docker;
using Harbor.Agent.Journal;
using Microsoft.Extensions.Options;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// Puts the old container back, from whatever state a job left: the new container (if created) is
/// stopped and removed, the old one gets its name back (and, after a blue-green switch began, the
/// networks it was taken off), the tag points at its image again, and it is started if it was running. Every step checks the engine's real state first, so running it twice —
/// or after a crash half-way through — is safe. Engine outages are retried for a while: this is the
/// one path that must not give up early.
/// </summary>
internal sealed class ContainerRestorer(IDockerEngine engine, IOptions<UpdateOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Returns what was done; throws <see cref="JobFailure"/> when the old container cannot be restored.</summary>
    public async Task<string> RestoreAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        var name = job.ContainerName ?? throw new JobFailure("restore_failed", "The job never learned the container's name; nothing was changed.");

        var newId = job.NewContainerId ?? await RetryAsync(() => FindNewContainerAsync(job, cancellationToken), cancellationToken);
        if (newId is not null && await RetryAsync(() => engine.InspectContainerJsonAsync(newId, cancellationToken), cancellationToken) is { } created)
        {
            // Stop gracefully first: the new container may share volumes with the old one.
            await RetryAsync(() => engine.StopContainerAsync(newId, StopTimeout(created), cancellationToken), cancellationToken);
            await RetryAsync(() => engine.RemoveContainerAsync(newId, force: true, cancellationToken), cancellationToken);
            done.Add("removed the new container");
        }

        var old = await RetryAsync(() => engine.InspectContainerJsonAsync(job.ContainerId, cancellationToken), cancellationToken)
            ?? throw new JobFailure("old_missing", $"The old container {job.ContainerId[..12]} no longer exists, so there is nothing to roll back to.");

        if (Name(old) != name)
        {
            var holder = await RetryAsync(() => engine.InspectContainerJsonAsync(name, cancellationToken), cancellationToken);
            if (holder is not null && Text(holder["Id"]) != job.ContainerId)
            {
                if (!IsFromThisJob(holder, job))
                {
                    throw new JobFailure("name_taken",
                        $"Another container ({Text(holder["Id"])[..12]}) now has the name '{name}'; the old container stays as '{Name(old)}'.");
                }

                await RetryAsync(() => engine.RemoveContainerAsync(Text(holder["Id"]), force: true, cancellationToken), cancellationToken);
                done.Add("removed the new container");
            }

            await RetryAsync(() => engine.RenameContainerAsync(job.ContainerId, name, cancellationToken), cancellationToken);
            done.Add($"renamed the old container back to '{name}'");
        }

        if (job.DrainedNetworks is { Count: > 0 } drained)
        {
            var attached = old["NetworkSettings"]?["Networks"] as JsonObject;
            foreach (var (network, settings) in drained.Where(d => attached?.ContainsKey(d.Key) != true))
            {
                await RetryAsync(() => engine.ConnectNetworkAsync(network, job.ContainerId, (JsonObject)JsonNode.Parse(settings)!, cancellationToken), cancellationToken);
                done.Add($"reconnected the old container to {network}");
            }
        }

        if (job.TagPreviousImageId is { } previous && job.TargetTag is { } tag && ImageReference.TryParse(tag, out var tagReference, out _))
        {
            var current = await RetryAsync(() => engine.InspectImageJsonAsync(tag, cancellationToken), cancellationToken);
            if (Text(current?["Id"]) != previous
                && await RetryAsync(() => engine.InspectImageJsonAsync(previous, cancellationToken), cancellationToken) is not null)
            {
                await RetryAsync(() => engine.TagImageAsync(previous, tagReference.Repository, tagReference.Tag!, cancellationToken), cancellationToken);
                done.Add($"pointed {tag} back at the old image");
            }
        }

        if (job.WasRunning && !Flag(old["State"]?["Running"]))
        {
            await RetryAsync(() => engine.StartContainerAsync(job.ContainerId, cancellationToken), cancellationToken);
            done.Add("started the old container");
        }

        return done.Count == 0 ? "the old container was untouched" : string.Join(", ", done);
    }

    /// <summary>The container's own stop grace period (Config.StopTimeout), else Docker's default of 10 s.</summary>
    public static TimeSpan StopTimeout(JsonObject container) =>
        container["Config"]?["StopTimeout"] is JsonValue value && value.TryGetValue<long>(out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultStopTimeout;

    /// <summary>
    /// A container under the original name that is not the old one: it is this job's new container if it
    /// runs the job's image and was created after the job started (the create may have happened just
    /// before a crash, before its id reached the journal).
    /// </summary>
    private async Task<string?> FindNewContainerAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (job.ContainerName is null || job.Step < Harbor.Protos.Agent.V1.JobStep.CreateNew)
        {
            return null;
        }

        // Blue-green creates the new container under a temporary name, recreate under the original one.
        foreach (var candidate in new[] { job.NewName, job.ContainerName }.OfType<string>())
        {
            var holder = await engine.InspectContainerJsonAsync(candidate, cancellationToken);
            if (holder is not null && Text(holder["Id"]) != job.ContainerId && IsFromThisJob(holder, job))
            {
                return Text(holder["Id"]);
            }
        }

        return null;
    }

    private static bool IsFromThisJob(JsonObject container, JobRecord job) =>
        Text(container["Id"]) == job.NewContainerId
        || (job.ToImageId is not null && Text(container["Image"]) == job.ToImageId
            && DateTimeOffset.TryParse(Text(container["Created"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            && created >= job.AcceptedAt - TimeSpan.FromSeconds(5));

    private Task<bool> RetryAsync(Func<Task> action, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    private async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (EngineUnavailableException) when (timeProvider.GetElapsedTime(started) < options.Value.EngineRetryWindow)
            {
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
