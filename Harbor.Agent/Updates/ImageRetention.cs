using Harbor.Agent.Docker;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Updates;

/// <summary>
/// After a successful update, keeps the newest <see cref="UpdateOptions.KeepPreviousImages"/> images this
/// container ran before (for a manual rollback) and removes older ones Harbor replaced — only images that
/// appear in this container's job history, no longer carry any tag, and no container at all uses. Images
/// Harbor did not replace are never touched.
/// </summary>
internal sealed class ImageRetention(IDockerEngine engine, JobJournal journal, IOptions<UpdateOptions> options)
{
    public async Task<string> PruneAsync(JobRecord job, CancellationToken cancellationToken)
    {
        // Newest first: this job's previous image, then those of earlier successful jobs on this container.
        var previous = journal.Finished
            .Where(r => r.ContainerName == job.ContainerName && r.Outcome == JobOutcome.Succeeded && r.JobId != job.JobId && !r.IsRestart)
            .Reverse()
            .Prepend(job)
            .Select(r => r.OldImageId)
            .OfType<string>()
            .Where(id => id != job.ToImageId)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var candidates = previous.Skip(options.Value.KeepPreviousImages).ToList();
        if (candidates.Count == 0)
        {
            return previous.Count == 0 ? "no previous image" : $"kept {previous.Count} previous image(s)";
        }

        var used = (await engine.ListContainersAsync(cancellationToken)).Select(c => c.ImageID).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var image in candidates.Where(id => !used.Contains(id)))
        {
            try
            {
                // Still tagged means someone else names it (Harbor moved its own tag away): not Harbor's to remove.
                var inspect = await engine.InspectImageJsonAsync(image, cancellationToken);
                if (inspect is null || EngineJson.Strings(inspect["RepoTags"]).Any())
                {
                    continue;
                }

                if (await engine.RemoveImageAsync(image, cancellationToken))
                {
                    removed++;
                }
            }
            catch (EngineRequestException)
            {
                // Gone already, or referenced in a way that needs force: either way, leave it.
            }
        }

        return $"kept {Math.Min(previous.Count, options.Value.KeepPreviousImages)} previous image(s), removed {removed}";
    }
}
