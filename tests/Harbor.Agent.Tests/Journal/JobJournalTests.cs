using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harbor.Agent.Tests.Journal;

/// <summary>The journal on a real directory: what one agent process writes, the next one reads.</summary>
public sealed class JobJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "harbor-journal-" + Guid.NewGuid().ToString("N"));

    private JobJournal Open(int retention = 100) => new(directory, retention, NullLogger<JobJournal>.Instance);

    private static JobRecord Job(string id, int minute = 0) => new()
    {
        JobId = id,
        ContainerId = new string('a', 64),
        TargetImage = "registry.local/app@sha256:" + new string('b', 64),
        TargetTag = "registry.local/app:1",
        AcceptedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public async Task Save_ThenReopen_ReadsTheSameRecordBack()
    {
        var journal = Open();
        var job = Job("job-1");
        await journal.TryAddAsync(job, TestContext.Current.CancellationToken);
        job.Step = JobStep.RenameOld;
        job.ContainerName = "web";
        job.WasRunning = true;
        job.RenamedTo = "web-harbor-old-job-1";
        job.TagPreviousImageId = "sha256:" + new string('c', 64);
        job.Steps.Add(new StepRecord { Step = JobStep.StopOld, StartedAt = T0, FinishedAt = T0.AddSeconds(2), Message = "stopped" });
        await journal.SaveAsync(job, TestContext.Current.CancellationToken);

        var reopened = Open().Find("job-1");

        Assert.NotNull(reopened);
        Assert.Equal(JobStep.RenameOld, reopened.Step);
        Assert.Equal("web", reopened.ContainerName);
        Assert.True(reopened.WasRunning);
        Assert.Equal("web-harbor-old-job-1", reopened.RenamedTo);
        Assert.Equal(job.TagPreviousImageId, reopened.TagPreviousImageId);
        var step = Assert.Single(reopened.Steps);
        Assert.Equal((JobStep.StopOld, T0.AddSeconds(2), "stopped"), (step.Step, step.FinishedAt, step.Message));
        Assert.False(reopened.IsFinished);
    }

    [Fact]
    public async Task Reopen_AJournalFileFromAnEarlierAgent_ReadsIt_AndWritesTheSameShape()
    {
        // What the reflection-based serializer wrote before the journal's JSON was source-generated (NativeAOT).
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "job-old.json"), """
            {"jobId":"job-old","containerId":"c1","targetImage":"app@sha256:1","rollback":false,"stabilityWindowMs":2000,
             "healthTimeoutCapMs":0,"acceptedAt":"2026-11-01T10:00:00+00:00","step":"RenameOld","containerName":"web",
             "steps":[{"step":"StopOld","startedAt":"2026-11-01T10:00:00+00:00","message":"stopped"}],
             "outcome":"RolledBack","reason":"unhealthy","recovered":false,"acknowledged":true}
            """, TestContext.Current.CancellationToken);

        var journal = Open();
        var job = journal.Find("job-old");

        Assert.NotNull(job);
        Assert.Equal((JobStep.RenameOld, JobOutcome.RolledBack, "web", 2000), (job.Step, job.Outcome, job.ContainerName, job.StabilityWindowMs));
        Assert.Equal(JobStep.StopOld, Assert.Single(job.Steps).Step);
        await journal.SaveAsync(job, TestContext.Current.CancellationToken);
        var written = await File.ReadAllTextAsync(Path.Combine(directory, "job-old.json"), TestContext.Current.CancellationToken);
        Assert.Contains("\"step\":\"RenameOld\"", written, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"RolledBack\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("null", written, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinished", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_ListsUnfinishedJobsForRecovery_AndFinishedUnacknowledgedOnesForResending()
    {
        var journal = Open();
        var running = Job("running", 1);
        var done = Job("done", 0);
        var acknowledged = Job("acked", 2);
        foreach (var job in new[] { running, done, acknowledged })
        {
            await journal.TryAddAsync(job, TestContext.Current.CancellationToken);
        }

        foreach (var job in new[] { done, acknowledged })
        {
            job.Outcome = JobOutcome.Succeeded;
            job.FinishedAt = job.AcceptedAt.AddSeconds(5);
            await journal.SaveAsync(job, TestContext.Current.CancellationToken);
        }

        await journal.AcknowledgeAsync("acked", TestContext.Current.CancellationToken);

        var reopened = Open();
        Assert.Equal(["running"], reopened.Unfinished.Select(j => j.JobId));
        Assert.Equal(["done"], reopened.Unacknowledged.Select(j => j.JobId));
    }

    [Fact]
    public async Task TryAdd_KnownJobId_IsRefused_AtMostOnce()
    {
        var journal = Open();
        Assert.True(await journal.TryAddAsync(Job("job-1"), TestContext.Current.CancellationToken));

        Assert.False(await journal.TryAddAsync(Job("job-1"), TestContext.Current.CancellationToken));
        Assert.False(await Open().TryAddAsync(Job("job-1"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Open_AfterACrashMidSave_KeepsThePreviousRecordAndDropsTheTemporaryFile()
    {
        var journal = Open();
        var job = Job("job-1");
        job.Step = JobStep.StopOld;
        await journal.TryAddAsync(job, TestContext.Current.CancellationToken);
        // What a crash between writing the temporary file and the rename leaves behind.
        await File.WriteAllTextAsync(Path.Combine(directory, "job-1.json.tmp"), "{\"jobId\":\"job-1\",\"st", TestContext.Current.CancellationToken);

        var reopened = Open();

        Assert.Equal(JobStep.StopOld, reopened.Find("job-1")?.Step);
        Assert.False(File.Exists(Path.Combine(directory, "job-1.json.tmp")));
    }

    [Fact]
    public async Task Open_UnreadableEntry_IsMovedAsideAndTheOthersStillLoad()
    {
        var journal = Open();
        await journal.TryAddAsync(Job("good"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "bad.json"), "not json", TestContext.Current.CancellationToken);

        var reopened = Open();

        Assert.NotNull(reopened.Find("good"));
        Assert.True(File.Exists(Path.Combine(directory, "bad.json.unreadable")));
    }

    [Fact]
    public async Task Prune_KeepsTheNewestAcknowledgedJobs_AndNeverUnacknowledgedOrUnfinishedOnes()
    {
        var journal = Open(retention: 2);
        for (var i = 0; i < 5; i++)
        {
            var job = Job($"job-{i}", i);
            await journal.TryAddAsync(job, TestContext.Current.CancellationToken);
            job.Outcome = JobOutcome.Succeeded;
            job.FinishedAt = job.AcceptedAt.AddSeconds(1);
            await journal.SaveAsync(job, TestContext.Current.CancellationToken);
            if (i < 4)
            {
                await journal.AcknowledgeAsync(job.JobId, TestContext.Current.CancellationToken);
            }
        }

        await journal.TryAddAsync(Job("unfinished", 9), TestContext.Current.CancellationToken);
        journal.Prune();

        var left = Open(retention: 2);
        Assert.Equal(["job-2", "job-3", "job-4", "unfinished"], Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order());
        Assert.Null(left.Find("job-0"));
    }

    [Fact]
    public async Task Save_NeverStoresRegistryCredentials()
    {
        var journal = Open();
        await journal.TryAddAsync(Job("job-1"), TestContext.Current.CancellationToken);

        var text = await File.ReadAllTextAsync(Path.Combine(directory, "job-1.json"), TestContext.Current.CancellationToken);

        // The record type has no place for them; this pins that nobody adds one.
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("auth", text, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
