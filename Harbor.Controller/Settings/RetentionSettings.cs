namespace Harbor.Controller.Settings;

/// <summary>
/// How long Harbor keeps history, in days; 0 keeps it forever (the default, so nothing disappears
/// unless an admin asks). Jobs: finished update jobs with their steps and event log. Job events: the
/// step-by-step log of finished jobs, which can go sooner than the job rows. Audit: the audit log.
/// </summary>
internal sealed record RetentionSettings(int JobDays, int JobEventDays, int AuditDays)
{
    public const int MaxDays = 36_500;

    public static RetentionSettings KeepForever { get; } = new(0, 0, 0);

    /// <summary>Problems by field (jobDays, jobEventDays, auditDays); empty when valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        Check(errors, "jobDays", JobDays);
        Check(errors, "jobEventDays", JobEventDays);
        Check(errors, "auditDays", AuditDays);
        return errors;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, int days)
    {
        if (days is < 0 or > MaxDays)
        {
            errors[field] = [$"Enter a number of days from 0 (keep forever) to {MaxDays}."];
        }
    }
}
