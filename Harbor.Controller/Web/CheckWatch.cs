using Harbor.Controller.Checks;

namespace Harbor.Controller.Web;

/// <summary>
/// Follows a check run the UI started until it ends, so the page can show its results at once even
/// though a check's container statuses are written without an inventory event.
/// </summary>
internal static class CheckWatch
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    /// <summary>The finished run, or null when it is still going after five minutes (the page stops waiting, the check does not).</summary>
    public static async Task<CheckRunResponse?> UntilFinishedAsync(CheckService checks, string runId, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + GiveUpAfter;
        using var timer = new PeriodicTimer(Period, timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var run = await checks.GetAsync(runId, cancellationToken);
            if (run is null || run.Status is CheckRunStore.Completed or CheckRunStore.Failed)
            {
                return run;
            }

            if (timeProvider.GetUtcNow() > deadline)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>What the user reads when the run ended.</summary>
    public static ActionResult Describe(CheckRunResponse? run) => run switch
    {
        null => new ActionResult(false, "The check is taking long", "It keeps running; statuses change here when it ends."),
        { Status: CheckRunStore.Failed } => new ActionResult(false, "The check failed", run.Error ?? "See the controller log."),
        _ => new ActionResult(true, "Check finished",
            $"{run.Results.UpdateAvailable} update(s) available, {run.Results.UpToDate} up to date, {run.Results.Error} error(s)."),
    };
}
