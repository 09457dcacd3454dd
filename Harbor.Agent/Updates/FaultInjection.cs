using System.Diagnostics;
using System.Text;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Updates;

/// <summary>
/// Test-only crash switch. When the environment variable <c>HARBOR_AGENT_FAULT_KILL_AT</c> names a job
/// step (e.g. <c>start_new</c>), the agent SIGKILLs itself right after journaling that step and before
/// doing it — the worst moment for a crash — so tests can prove start-up recovery. Unset (always, in
/// production) it does nothing; when set, the agent logs a warning at start-up.
/// </summary>
internal static class FaultInjection
{
    public const string Variable = "HARBOR_AGENT_FAULT_KILL_AT";

    public static string? KillAt { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } step ? step : null;

    public static void At(JobStep step)
    {
        if (KillAt is null || !string.Equals(KillAt, StepName(step), StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>The step as the proto spells it without its prefix: StopOld → stop_old.</summary>
    public static string StepName(JobStep step)
    {
        var name = step.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
