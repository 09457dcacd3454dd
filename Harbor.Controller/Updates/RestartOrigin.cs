namespace Harbor.Controller.Updates;

/// <summary>Why a restart job exists and what it waits for.</summary>
/// <param name="Cause">In words: "dependency 'db' updated by job …".</param>
/// <param name="CausedByJobId">The update job whose success caused the restart.</param>
/// <param name="AfterJobId">Sent only once this job has finished (null: at once).</param>
internal sealed record RestartOrigin(string Cause, string CausedByJobId, string? AfterJobId);
