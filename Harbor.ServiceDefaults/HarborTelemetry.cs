using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Names of Harbor's own activity sources (registered with OpenTelemetry by
/// <see cref="ServiceDefaultsExtensions.ConfigureOpenTelemetry{TBuilder}"/>, so the Aspire dashboard
/// shows them) and the W3C trace-context conversions both services use to carry a trace across the
/// agent stream inside messages (docs/observability.md).
/// </summary>
public static class HarborTelemetry
{
    /// <summary>Controller spans of an update job: created, sent to the agent, result recorded.</summary>
    public const string ControllerUpdatesSource = "Harbor.Controller.Updates";

    /// <summary>Agent spans of an update job: the job run and one child span per step.</summary>
    public const string AgentUpdatesSource = "Harbor.Agent.Updates";

    public static readonly IReadOnlyList<string> ActivitySources = [ControllerUpdatesSource, AgentUpdatesSource];

    /// <summary>The activity's W3C traceparent and tracestate, or nulls without an activity.</summary>
    public static (string? TraceParent, string? TraceState) Capture(Activity? activity) =>
        activity is null || activity.IdFormat != ActivityIdFormat.W3C ? (null, null) : (activity.Id, activity.TraceStateString);

    /// <summary>The remote parent a traceparent names; default (no parent: a new trace) when it is missing or malformed.</summary>
    public static ActivityContext Parent(string? traceParent, string? traceState) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, string.IsNullOrEmpty(traceState) ? null : traceState, isRemote: true, out var context)
            ? context
            : default;
}
