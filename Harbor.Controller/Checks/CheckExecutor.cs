using System.Collections.Concurrent;
using Harbor.Controller.Events;
using Harbor.Controller.Inventory;
using Harbor.Controller.Policy;
using Harbor.Controller.Registries;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>
/// Executes one check run: loads the containers in scope, decides pinned/local without the network,
/// asks each registry once per distinct (repository, tag) — registries in parallel, each within its
/// own concurrency cap so a slow or dead one never holds up the others — and stores every result.
/// A container whose policy tracks a semver range is checked against the tag the range selects: the
/// repository's tags are listed once per run, however many containers track it.
/// </summary>
internal sealed class CheckExecutor(
    InventoryQueries inventory,
    RegistryClient registries,
    CheckRunStore store,
    PolicyService policies,
    IOptions<RegistryClientOptions> registryOptions,
    EventHub events,
    TimeProvider timeProvider)
{
    public async Task RunAsync(CheckRun run, CheckRunProgress progress, CancellationToken cancellationToken)
    {
        DetectionTelemetry.CountFor(progress);
        IEnumerable<ContainerImage> containers = await inventory.ListContainerImagesAsync(run.Scope.HostId, run.Scope.ContainerId, cancellationToken);
        if (run.Scope.Containers is { } named)
        {
            var wanted = named.ToHashSet();
            containers = containers.Where(c => wanted.Contains(new CheckTarget(c.HostId, c.ContainerId)));
        }

        var immediate = new List<ContainerCheckResult>();
        var groups = new Dictionary<CheckKey, List<CheckItem>>();
        var tracking = new List<(ContainerImage Container, ImageReference Reference, EffectivePolicy Policy)>();
        var policyOf = await policies.SnapshotAsync(cancellationToken);
        var inScope = 0;
        foreach (var container in containers)
        {
            var (result, reference) = StatusDecider.Classify(container);
            var policy = reference is null && !run.Scope.ExceptOwnSchedules ? null : policyOf(Facts(container));
            if (run.Scope.ExceptOwnSchedules && policy!.CheckSchedule is not null)
            {
                // Checked on its own schedule (CheckScheduler), not with everything.
                continue;
            }

            var tracksSemver = reference is not null && policy?.Track.Kind == TrackKind.Semver;
            if (run.Scope.Repositories is { } pushed && !Matches(pushed, container, reference, tracksSemver))
            {
                continue;
            }

            inScope++;
            if (result is not null)
            {
                immediate.Add(result);
            }
            else if (tracksSemver)
            {
                tracking.Add((container, reference!, policy!));
            }
            else
            {
                Add(groups, new CheckKey(reference!.Registry, reference.Repository, reference.TagOrDefault), new CheckItem(container, reference, TargetTag: null));
            }
        }

        immediate.AddRange(await SelectTrackedTagsAsync(tracking, groups, cancellationToken));

        progress.Planned(inScope, groups.Count);
        await SaveAsync(run.Id, progress, immediate, cancellationToken);

        await Task.WhenAll(groups.GroupBy(g => g.Key.Registry, StringComparer.OrdinalIgnoreCase).Select(registry =>
            CheckRegistryAsync(run.Id, progress, registry.Key, [.. registry], cancellationToken)));
    }

    private async Task CheckRegistryAsync(
        string runId, CheckRunProgress progress, string registry,
        List<KeyValuePair<CheckKey, List<CheckItem>>> keys, CancellationToken cancellationToken)
    {
        var options = registryOptions.Value;
        var parallelism = options.Find(registry)?.MaxConcurrency ?? options.MaxConcurrencyPerRegistry;
        var results = new ConcurrentBag<ContainerCheckResult>();
        await Parallel.ForEachAsync(
            keys,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                foreach (var result in await ResolveAsync(entry.Key, entry.Value, token))
                {
                    results.Add(result);
                }

                progress.ReferenceDone();
            });
        await SaveAsync(runId, progress, [.. results], cancellationToken);
    }

    /// <summary>
    /// Lists each tracked repository's tags once, picks each container's target tag from its range and
    /// files the container under that tag's key; returns errors for repositories whose tags could not be listed.
    /// </summary>
    private async Task<List<ContainerCheckResult>> SelectTrackedTagsAsync(
        List<(ContainerImage Container, ImageReference Reference, EffectivePolicy Policy)> tracking,
        Dictionary<CheckKey, List<CheckItem>> groups,
        CancellationToken cancellationToken)
    {
        var errors = new List<ContainerCheckResult>();
        var repositories = tracking.GroupBy(t => (t.Reference.Registry.ToLowerInvariant(), t.Reference.Repository)).ToList();
        var listings = await Task.WhenAll(repositories.Select(async repository =>
        {
            try
            {
                return (Tags: await registries.ListTagsAsync(repository.First().Reference, cancellationToken), Error: (string?)null);
            }
            catch (RegistryException e)
            {
                return (Tags: (IReadOnlyList<string>)[], Error: $"Listing the tags of {repository.First().Reference.Name} for semver tracking failed: {e.Message}");
            }
        }));

        for (var i = 0; i < repositories.Count; i++)
        {
            foreach (var (container, reference, policy) in repositories[i])
            {
                if (listings[i].Error is { } error)
                {
                    errors.Add(new ContainerCheckResult(container.HostId, container.ContainerId, UpdateStatus.Error, reference.ToString(), null, error));
                    continue;
                }

                // No tag in range (or none newer than the current one): the container keeps following its own tag.
                var current = reference.TagOrDefault;
                var target = SemverTagSelector.Select(listings[i].Tags, policy.Track.Range!, current, policy.TrackPrerelease) ?? current;
                Add(groups, new CheckKey(reference.Registry, reference.Repository, target), new CheckItem(container, reference, target));
            }
        }

        return errors;
    }

    private static void Add(Dictionary<CheckKey, List<CheckItem>> groups, CheckKey key, CheckItem item)
    {
        if (!groups.TryGetValue(key, out var list))
        {
            groups[key] = list = [];
        }

        list.Add(item);
    }

    private static ContainerFacts Facts(ContainerImage container) =>
        new(container.HostId, container.HostName, null, container.ContainerName, container.Image, container.ComposeProject,
            container.Labels ?? new Dictionary<string, string>());

    private async Task<List<ContainerCheckResult>> ResolveAsync(CheckKey key, List<CheckItem> items, CancellationToken cancellationToken)
    {
        var reference = items[0].Reference.WithTag(key.Tag);
        var name = reference.ToString();
        var results = new List<ContainerCheckResult>(items.Count);
        var targetTags = items.ToDictionary(i => (i.Container.HostId, i.Container.ContainerId), i => i.TargetTag);
        ContainerCheckResult Result(ContainerImage c, string status, string? digest, string? error = null) =>
            new(c.HostId, c.ContainerId, status, name, digest, error, targetTags[(c.HostId, c.ContainerId)]);

        try
        {
            var remote = await registries.HeadManifestAsync(reference, key.Tag, cancellationToken);
            var pending = new List<(ContainerImage Container, IReadOnlySet<string> Local)>();
            foreach (var (container, _, _) in items)
            {
                var local = StatusDecider.LocalDigests(container, reference);
                if (local.Contains(remote.Digest))
                {
                    results.Add(Result(container, UpdateStatus.UpToDate, remote.Digest));
                }
                else if (remote.MediaType is ManifestMediaTypes.OciManifest or ManifestMediaTypes.DockerManifest)
                {
                    results.Add(Result(container, UpdateStatus.UpdateAvailable, remote.Digest));
                }
                else
                {
                    // An index (or an unlabelled answer): the container's digest may be one of its platform manifests.
                    pending.Add((container, local));
                }
            }

            if (pending.Count == 0)
            {
                return results;
            }

            var content = await registries.GetManifestAsync(reference, remote.Digest, cancellationToken);
            if (!content.IsIndex)
            {
                results.AddRange(pending.Select(p => Result(p.Container, UpdateStatus.UpdateAvailable, remote.Digest)));
                return results;
            }

            var index = ManifestIndex.Parse(content.Body);
            foreach (var platformGroup in pending.GroupBy(p => StatusDecider.PlatformOf(p.Container)))
            {
                var entry = index.Resolve(platformGroup.Key);
                if (entry is null)
                {
                    var offered = string.Join(", ", index.Manifests.Where(m => !m.IsAttestation && m.Platform is not null).Select(m => m.Platform!.ToString()).Distinct());
                    results.AddRange(platformGroup.Select(p => Result(p.Container, UpdateStatus.Error, remote.Digest,
                        $"{name} no longer has an image for {platformGroup.Key} (it offers {(offered.Length == 0 ? "no platforms" : offered)}).")));
                    continue;
                }

                string? configDigest = null;
                foreach (var (container, local) in platformGroup)
                {
                    if (local.Contains(entry.Digest) || container.ImageId == entry.Digest)
                    {
                        results.Add(Result(container, UpdateStatus.UpToDate, remote.Digest));
                        continue;
                    }

                    // Same image under a re-pushed index (e.g. new attestations): the config digest is the engine's image id.
                    configDigest ??= ImageManifest.ConfigDigest((await registries.GetManifestAsync(reference, entry.Digest, cancellationToken)).Body);
                    results.Add(Result(container, container.ImageId == configDigest ? UpdateStatus.UpToDate : UpdateStatus.UpdateAvailable, remote.Digest));
                }
            }
        }
        catch (RegistryException e)
        {
            results.Clear();
            results.AddRange(items.Select(i => Result(i.Container, UpdateStatus.Error, null, e.Message)));
        }
        catch (FormatException e)
        {
            results.Clear();
            results.AddRange(items.Select(i => Result(i.Container, UpdateStatus.Error, null, $"{reference.Registry} served an unreadable manifest for {name}: {e.Message}")));
        }

        return results;
    }

    private async Task SaveAsync(string runId, CheckRunProgress progress, IReadOnlyCollection<ContainerCheckResult> results, CancellationToken cancellationToken)
    {
        var changed = await store.SaveResultsAsync(runId, results, timeProvider.GetUtcNow(), cancellationToken);
        foreach (var (result, previous) in changed)
        {
            events.Publish(EventTypes.ContainerUpdateStatus, result.HostId, new
            {
                hostId = result.HostId, containerId = result.ContainerId, status = result.Status, previous,
                reference = result.Reference, remoteDigest = result.RemoteDigest, error = result.Error, checkRunId = runId,
            });
        }

        foreach (var result in results)
        {
            progress.Count(result.Status);
            DetectionMetrics.CheckResults.WithLabels(result.Status).Inc();
        }
    }

    private static bool Matches(IReadOnlyList<PushedRepository> pushed, ContainerImage container, ImageReference? reference, bool tracksSemver)
    {
        if (reference is null && !ImageReference.TryParse(container.Image, out reference, out _))
        {
            return false;
        }

        return pushed.Any(p =>
            string.Equals(p.Registry, reference.Registry, StringComparison.OrdinalIgnoreCase)
            && p.Repository == reference.Repository
            && (p.Tag is null || reference.IsPinned || tracksSemver || p.Tag == reference.TagOrDefault));
    }
}
