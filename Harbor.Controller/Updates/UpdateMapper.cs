using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Harbor.Controller.Data;
using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Updates;

/// <summary>Wire enums → the words the API and database use; rows → API responses.</summary>
internal static class UpdateMapper
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Running = "running";
    public const string Finished = "finished";

    public static readonly IReadOnlyList<string> States = [Pending, Sent, Running, Finished];
    public static readonly IReadOnlyList<string> Outcomes = ["succeeded", "rolled_back", "failed", "refused"];
    public const string RestartKind = "restart";

    public static readonly IReadOnlyList<string> Kinds = ["update", "rollback", RestartKind];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    /// <summary>The proto name without its prefix, lower case: JOB_STEP_STOP_OLD → stop_old.</summary>
    public static string Name(JobStep step) => ProtoName(step, "JOB_STEP_");

    public static string Name(JobOutcome outcome) => ProtoName(outcome, "JOB_OUTCOME_");

    /// <summary>VERIFICATION_KIND_HTTP_PROBE → http_probe.</summary>
    public static string Name(VerificationKind kind) => ProtoName(kind, "VERIFICATION_KIND_");

    public static string StepsJson(IEnumerable<JobStepTiming> steps) => JsonSerializer.Serialize(
        steps.Select(s => new JobStepResponse(
            Name(s.Step),
            s.StartedAt.ToDateTimeOffset(),
            s.FinishedAt?.ToDateTimeOffset(),
            s.FinishedAt is null ? null : (long)(s.FinishedAt.ToDateTimeOffset() - s.StartedAt.ToDateTimeOffset()).TotalMilliseconds,
            NullIfEmpty(s.Message),
            NullIfEmpty(s.Error))),
        Json);

    public static JobResponse ToResponse(UpdateJobRow row, IReadOnlyList<JobEventResponse>? events = null) => new(
        row.Id,
        row.HostId,
        row.ContainerId,
        row.ContainerName,
        row.Kind,
        row.Trigger,
        row.RequestedBy,
        row.TargetImage,
        row.TargetTag,
        row.State,
        row.Outcome,
        row.Reason,
        row.ReasonCode,
        row.Outcome == "rolled_back" ? row.ReasonCode : null,
        row.FromImageId,
        row.FromDigest,
        row.ToImageId,
        row.ToDigest,
        row.ResultContainerId,
        row.CurrentStep,
        row.Progress,
        row.LastMessage,
        row.Recovered != 0,
        DbTime.Parse(row.CreatedAt),
        DbTime.ParseOrNull(row.SentAt),
        DbTime.ParseOrNull(row.AcceptedAt),
        DbTime.ParseOrNull(row.StartedAt),
        DbTime.ParseOrNull(row.FinishedAt),
        row.DurationMs,
        row.Steps is null ? [] : JsonSerializer.Deserialize<List<JobStepResponse>>(row.Steps, Json) ?? [],
        events,
        JobTracing.TraceId(row.TraceParent),
        row.Strategy,
        row.FromImage,
        row.Cause,
        row.CausedByJobId,
        row.AfterJobId,
        Verification(row));

    private static VerificationPlanResponse? Verification(UpdateJobRow row)
    {
        if (row is not { VerificationKind: { } kind, VerificationWindowMs: { } windowMs, VerificationStartedAt: { } startedText })
        {
            return null;
        }

        var started = DbTime.Parse(startedText);
        return new VerificationPlanResponse(kind, windowMs, started, started.AddMilliseconds(windowMs), row.VerificationUrl);
    }

    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string ProtoName(Enum value, string prefix) => Names.GetOrAdd(value, v =>
    {
        var original = v.GetType().GetField(v.ToString())?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? v.ToString();
        return (original.StartsWith(prefix, StringComparison.Ordinal) ? original[prefix.Length..] : original).ToLowerInvariant();
    });
}
