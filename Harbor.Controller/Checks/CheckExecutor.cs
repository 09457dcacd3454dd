using System.Collections.Concurrent;
using Harbor.Controller.Events;
using Harbor.Controller.Inventory;
using Harbor.Controller.Registries;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>
/// Executes one check run: loads the containers in scope, decides pinned/local without the network,
/// asks each registry once per distinct (repository, tag) — registries in parallel, each within its
/// own concurrency cap so a slow or dead one never holds up the others — and stores every result.
/// </summary>
internal sealed class CheckExecutor(
    InventoryQueries inventory,
    RegistryClient registries,
    CheckRunStore store,
    IOptions<RegistryClientOptions> registryOptions,
    EventHub events,
    TimeProvider timeProvider)
{
    public async Task RunAsync(CheckRun run, CheckRunProgress progress, CancellationToken cancellationToken)
    {
        DetectionTelemetry.CountFor(progress);
        var containers = await inventory.ListContainerImagesAsync(run.Scope.HostId, run.Scope.ContainerId, cancellationToken);
        var immediate = new List<ContainerCheckResult>();
        var groups = new Dictionary<CheckKey, List<(ContainerImage Container, ImageReference Reference)>>();
        var inScope = 0;
        foreach (var container in containers)
        {
            var (result, reference) = StatusDecider.Classify(container);
            if (run.Scope.Repositories is { } pushed && !Matches(pushed, container, reference))
            {
                continue;
            }

            inScope++;
            if (result is not null)
            {
                immediate.Add(result);
                continue;
            }

            var key = new CheckKey(reference!.Registry, reference.Repository, reference.TagOrDefault);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add((container, reference));
        }

        progress.Planned(inScope, groups.Count);
        await SaveAsync(run.Id, progress, immediate, cancellationToken);

        await Task.WhenAll(groups.GroupBy(g => g.Key.Registry, StringComparer.OrdinalIgnoreCase).Select(registry =>
            CheckRegistryAsync(run.Id, progress, registry.Key, [.. registry], cancellationToken)));
    }

    private async Task CheckRegistryAsync(
        string runId, CheckRunProgress progress, string registry,
        List<KeyValuePair<CheckKey, List<(ContainerImage Container, ImageReference Reference)>>> keys, CancellationToken cancellationToken)
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

    private async Task<List<ContainerCheckResult>> ResolveAsync(CheckKey key, List<(ContainerImage Container, ImageReference Reference)> items, CancellationToken cancellationToken)
    {
        var reference = items[0].Reference.WithTag(key.Tag);
        var name = reference.ToString();
        var results = new List<ContainerCheckResult>(items.Count);
        ContainerCheckResult Result(ContainerImage c, string status, string? digest, string? error = null) =>
            new(c.HostId, c.ContainerId, status, name, digest, error);

        try
        {
            var remote = await registries.HeadManifestAsync(reference, key.Tag, cancellationToken);
            var pending = new List<(ContainerImage Container, IReadOnlySet<string> Local)>();
            foreach (var (container, _) in items)
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

    private static bool Matches(IReadOnlyList<PushedRepository> pushed, ContainerImage container, ImageReference? reference)
    {
        if (reference is null && !ImageReference.TryParse(container.Image, out reference, out _))
        {
            return false;
        }

        return pushed.Any(p =>
            string.Equals(p.Registry, reference.Registry, StringComparison.OrdinalIgnoreCase)
            && p.Repository == reference.Repository
            && (p.Tag is null || reference.IsPinned || p.Tag == reference.TagOrDefault));
    }
}
