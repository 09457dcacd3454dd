using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Updates;

/// <summary>
/// Reads the verification phase an agent announced on a verify JobEvent. The phase's start is moved onto
/// the controller's clock: the agent's own clock only says how long before sending the event the phase
/// began (the event's <c>at</c> minus the plan's <c>started_at</c>, both agent time), so an agent whose clock
/// is off does not shift the countdown. An event held back while the stream was down starts late by that
/// delay; the agent's result stays the authority on how long verification took.
/// </summary>
internal static class AnnouncedVerification
{
    /// <summary>The longest window the agent can be configured for (a stability window or probe timeout of up to an hour), with room.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);

    public const int MaxUrlLength = 2048;

    /// <summary>The plan on <paramref name="jobEvent"/>; null when there is none, or a problem when it is unusable.</summary>
    public static (VerificationPlanResponse? Plan, string? Problem) Read(JobEvent jobEvent, DateTimeOffset receivedAt)
    {
        if (jobEvent.Verification is not { } plan)
        {
            return (null, null);
        }

        if (jobEvent.Step != JobStep.Verify)
        {
            return (null, $"it came with step {UpdateMapper.Name(jobEvent.Step)}, not verify");
        }

        if (plan.Kind is not (VerificationKind.Healthcheck or VerificationKind.Stability or VerificationKind.HttpProbe))
        {
            return (null, $"kind {plan.Kind} is not known");
        }

        if (plan.WindowMs < 0 || plan.WindowMs > MaxWindow.TotalMilliseconds)
        {
            return (null, $"window_ms {plan.WindowMs} is outside 0..{(long)MaxWindow.TotalMilliseconds}");
        }

        var url = plan.Kind == VerificationKind.HttpProbe && plan.Url.Length > 0 ? plan.Url : null;
        if (url is { Length: > MaxUrlLength })
        {
            return (null, $"its url is longer than {MaxUrlLength} characters");
        }

        var window = TimeSpan.FromMilliseconds(plan.WindowMs);
        var before = jobEvent.At is { } at && plan.StartedAt is { } started ? at.ToDateTimeOffset() - started.ToDateTimeOffset() : TimeSpan.Zero;
        before = before < TimeSpan.Zero ? TimeSpan.Zero : before > window ? window : before;
        var start = receivedAt - before;
        return (new VerificationPlanResponse(UpdateMapper.Name(plan.Kind), plan.WindowMs, start, start + window, url), null);
    }
}
