using Harbor.Controller.Updates;

namespace Harbor.Controller.Web;

/// <summary>One line of a job's step list: done, running or failed, with its time and last word.</summary>
public sealed record JobStepView(string Step, string State, long? DurationMs, string? Message)
{
    public const string Done = "done";
    public const string Running = "running";
    public const string Failed = "failed";

    /// <summary>
    /// The steps to show. A finished job has the agent's own timed steps; while it runs only its
    /// progress events exist, so the steps are read from them: each step starts with its first event
    /// and ends when the next step starts, and the last one is still running.
    /// </summary>
    internal static IReadOnlyList<JobStepView> From(JobResponse job, DateTimeOffset now)
    {
        if (job.Steps.Count > 0)
        {
            return [.. job.Steps.Select(s => new JobStepView(
                s.Step, s.Error is not null ? Failed : s.FinishedAt is null ? Running : Done, s.DurationMs, s.Error ?? s.Message))];
        }

        var events = job.Events ?? [];
        var steps = new List<JobStepView>();
        for (var i = 0; i < events.Count;)
        {
            var step = events[i].Step;
            var started = events[i].At;
            var last = events[i];
            var next = i + 1;
            while (next < events.Count && events[next].Step == step)
            {
                last = events[next++];
            }

            var running = next == events.Count && job.Outcome is null;
            var ended = next < events.Count ? events[next].At : running ? now : last.At;
            steps.Add(new JobStepView(step, running ? Running : Done, (long)(ended - started).TotalMilliseconds, last.Message));
            i = next;
        }

        return steps;
    }
}
