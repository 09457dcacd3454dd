using Harbor.Controller.Updates;
using Harbor.Controller.Web;

namespace Harbor.Controller.Tests.Web;

/// <summary>The job page's step list: live from progress events while a job runs, the agent's timings once it ends.</summary>
public sealed class JobStepViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_RunningJob_StepsFromEvents_LastOneRunningUntilNow()
    {
        var job = Job(outcome: null, steps: [], events:
        [
            Event(1, "pull", "pulling", 0), Event(2, "pull", "pulled", 3), Event(3, "create_new", "creating", 4), Event(4, "verify", "waiting 10s", 5),
        ]);

        var steps = JobStepView.From(job, T0.AddSeconds(9));

        Assert.Equal(
            [
                new JobStepView("pull", JobStepView.Done, 4000, "pulled"),
                new JobStepView("create_new", JobStepView.Done, 1000, "creating"),
                new JobStepView("verify", JobStepView.Running, 4000, "waiting 10s"),
            ],
            steps);
    }

    [Fact]
    public void From_FinishedJob_UsesTheAgentsTimedSteps_AFailedStepShowsItsError()
    {
        var job = Job(outcome: "rolled_back", events: [Event(1, "verify", "waiting", 0)], steps:
        [
            new JobStepResponse("start_new", T0, T0.AddSeconds(1), 1000, "started", null),
            new JobStepResponse("verify", T0.AddSeconds(1), T0.AddSeconds(3), 2000, "waiting", "exited with code 3"),
        ]);

        var steps = JobStepView.From(job, T0.AddMinutes(5));

        Assert.Equal(
            [
                new JobStepView("start_new", JobStepView.Done, 1000, "started"),
                new JobStepView("verify", JobStepView.Failed, 2000, "exited with code 3"),
            ],
            steps);
    }

    private static JobEventResponse Event(long sequence, string step, string message, int second) => new(sequence, step, message, 0, T0.AddSeconds(second));

    private static JobResponse Job(string? outcome, IReadOnlyList<JobStepResponse> steps, IReadOnlyList<JobEventResponse> events) =>
        new("job-1", "host-1", "c1", "web", "update", "api", "anonymous", "repo/app", "1", outcome is null ? "running" : "finished", outcome,
            null, null, null, null, null, null, null, null, null, null, null, false, T0, null, null, null, null, null, steps, events);
}
