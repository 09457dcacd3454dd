using System.Text.Json.Nodes;
using Harbor.Agent.Journal;

namespace Harbor.Agent.Updates;

/// <summary>One job while it runs: its journal record, its reporter, and what earlier steps learned.</summary>
internal sealed class JobRun(JobRecord job, JobReporter reporter)
{
    public JobRecord Job { get; } = job;

    public JobReporter Reporter { get; } = reporter;

    /// <summary>The old container as inspected by the CHECK step.</summary>
    public JsonObject? Old { get; set; }

    /// <summary>The old container's image, or null when it no longer exists.</summary>
    public JsonObject? OldImage { get; set; }

    public JsonObject? NewImage { get; set; }

    public RecreatePlan? Plan { get; set; }

    /// <summary>The new container refers to the target tag, so the TAG step moves it.</summary>
    public bool MovesTag { get; set; }

    /// <summary>What the user should read in the job's result besides its outcome.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The container already runs the target image: nothing to do.</summary>
    public bool AlreadyCurrent { get; set; }
}
