using Harbor.Controller.Updates;

namespace Harbor.Controller.Web;

/// <summary>A job as a row of a job list (components take public view models; the API records are internal).</summary>
public sealed record JobRow(string Id, string HostId, string ContainerName, string Kind, string Status, DateTimeOffset StartedAt, string? Note)
{
    internal static JobRow From(JobResponse job) =>
        new(job.Id, job.HostId, job.ContainerName, job.Kind, job.Outcome ?? job.State, job.StartedAt ?? job.CreatedAt,
            job.Reason ?? job.RollbackReason ?? (job.Outcome is null ? job.CurrentStep : null));
}
