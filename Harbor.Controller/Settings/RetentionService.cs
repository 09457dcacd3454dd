using System.Globalization;
using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Settings;

/// <summary>The retention settings (table <c>settings</c>, keys <c>retention.*</c>) and the purge that applies them.</summary>
internal sealed class RetentionService(SettingsStore settings, SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    private const string JobsKey = "retention.job_days";
    private const string JobEventsKey = "retention.job_event_days";
    private const string AuditKey = "retention.audit_days";

    public async Task<RetentionSettings> GetAsync(CancellationToken cancellationToken) => new(
        await DaysAsync(JobsKey, cancellationToken),
        await DaysAsync(JobEventsKey, cancellationToken),
        await DaysAsync(AuditKey, cancellationToken));

    /// <summary>Stores valid settings; returns the problems by field otherwise (nothing stored).</summary>
    public async Task<Dictionary<string, string[]>> SaveAsync(RetentionSettings retention, string? by, CancellationToken cancellationToken)
    {
        var errors = retention.Validate();
        if (errors.Count == 0)
        {
            await settings.SetAsync(JobsKey, Text(retention.JobDays), by, cancellationToken);
            await settings.SetAsync(JobEventsKey, Text(retention.JobEventDays), by, cancellationToken);
            await settings.SetAsync(AuditKey, Text(retention.AuditDays), by, cancellationToken);
        }

        return errors;
    }

    /// <summary>Deletes what is older than the settings allow; unfinished jobs are never touched. Returns (jobs, job events, audit rows) deleted.</summary>
    public async Task<(int Jobs, int JobEvents, int Audit)> PurgeAsync(CancellationToken cancellationToken)
    {
        var retention = await GetAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        int jobs = 0, events = 0, audit = 0;
        if (retention.JobEventDays > 0 || retention.JobDays > 0)
        {
            // Events go with their job; with a shorter event retention they go first. The event log is
            // deleted explicitly, not by the foreign key's cascade (which needs PRAGMA foreign_keys).
            var days = retention.JobEventDays > 0 && (retention.JobDays == 0 || retention.JobEventDays < retention.JobDays) ? retention.JobEventDays : retention.JobDays;
            events = await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM update_job_events
                WHERE job_id IN (SELECT id FROM update_jobs WHERE state = 'finished' AND COALESCE(finished_at, created_at) < @cutoff)
                """,
                new { cutoff = Cutoff(now, days) }, cancellationToken: cancellationToken));
        }

        if (retention.JobDays > 0)
        {
            jobs = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM update_jobs WHERE state = 'finished' AND COALESCE(finished_at, created_at) < @cutoff",
                new { cutoff = Cutoff(now, retention.JobDays) }, cancellationToken: cancellationToken));
        }

        if (retention.AuditDays > 0)
        {
            audit = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM audit_events WHERE at < @cutoff", new { cutoff = Cutoff(now, retention.AuditDays) }, cancellationToken: cancellationToken));
        }

        return (jobs, events, audit);
    }

    private static string Cutoff(DateTimeOffset now, int days) => DbTime.ToText(now - TimeSpan.FromDays(days));

    private static string Text(int days) => days.ToString(CultureInfo.InvariantCulture);

    private async Task<int> DaysAsync(string key, CancellationToken cancellationToken) =>
        int.TryParse(await settings.GetAsync(key, cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : 0;
}
