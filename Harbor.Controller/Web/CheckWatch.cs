using Harbor.Controller.Checks;
using Harbor.Controller.Events;

namespace Harbor.Controller.Web;

/// <summary>
/// Follows a check run the UI started until it ends, so the page can show its results at once: a
/// check's container statuses change without an inventory event, its end publishes check.completed.
/// </summary>
internal static class CheckWatch
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    /// <summary>The finished run, or null when it is still going after five minutes (the page stops waiting, the check does not).</summary>
    public static async Task<CheckRunResponse?> UntilFinishedAsync(CheckService checks, EventHub hub, string runId, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var giveUp = new CancellationTokenSource(GiveUpAfter, timeProvider);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, giveUp.Token);
        try
        {
            while (true)
            {
                // Subscribe before reading the run: a run that ends in between is seen by one or the other.
                using var subscription = hub.Subscribe(afterId: null);
                var run = await checks.GetAsync(runId, waiting.Token);
                if (Finished(run))
                {
                    return run;
                }

                await foreach (var domainEvent in subscription.ReadAllAsync(waiting.Token))
                {
                    if (domainEvent.Type == EventTypes.CheckCompleted && Finished(run = await checks.GetAsync(runId, waiting.Token)))
                    {
                        return run;
                    }
                }

                // Dropped for falling behind: read the run again and listen anew.
            }
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool Finished(CheckRunResponse? run) => run is null || run.Status is CheckRunStore.Completed or CheckRunStore.Failed;

    /// <summary>What the user reads when the run ended.</summary>
    public static ActionResult Describe(CheckRunResponse? run) => run switch
    {
        null => new ActionResult(false, "The check is taking long", "It keeps running; statuses change here when it ends."),
        { Status: CheckRunStore.Failed } => new ActionResult(false, "The check failed", run.Error ?? "See the controller log."),
        _ => new ActionResult(true, "Check finished",
            $"{run.Results.UpdateAvailable} update(s) available, {run.Results.UpToDate} up to date, {run.Results.Error} error(s)."),
    };
}
