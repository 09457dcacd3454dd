using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Policy;
using Harbor.Controller.Settings;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Settings;

/// <summary>Retention (set on the Settings page) against the real SQLite file, on the controller's (fake) clock; the default behaviour rule.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Worker_AfterTheFirstMinute_RemovesOnlyFinishedJobsAndAuditOlderThanTheSettings()
    {
        using var data = new TempDirectory("retention");
        var clock = new FakeTimeProvider(Start);
        await using var controller = await ControllerHost.StartAsync(data.Path, clock);
        var retention = controller.Services.GetRequiredService<RetentionService>();
        Assert.Empty(await retention.SaveAsync(new RetentionSettings(JobDays: 30, JobEventDays: 7, AuditDays: 90), "admin", Token));

        await using (var connection = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(Token))
        {
            await InsertJobAsync(connection, "old-finished", "finished", Start.AddDays(-40));
            await InsertJobAsync(connection, "recent-finished", "finished", Start.AddDays(-10));
            await InsertJobAsync(connection, "fresh-finished", "finished", Start.AddDays(-1));
            await InsertJobAsync(connection, "old-running", "running", Start.AddDays(-100));
            await connection.ExecuteAsync(
                "INSERT INTO audit_events (at, actor_kind, action, outcome) VALUES (@old, 'user', 'Old', 'success'), (@recent, 'user', 'Recent', 'success')",
                new { old = DbTime.ToText(Start.AddDays(-91)), recent = DbTime.ToText(Start.AddDays(-89)) });
        }

        // Nothing before the worker's first run (a minute after start-up, on the controller's clock).
        Assert.Equal(4, await CountAsync(controller, "SELECT COUNT(*) FROM update_jobs"));
        clock.Advance(RetentionWorker.FirstRun);

        await Eventually.TrueAsync(async () => await CountAsync(controller, "SELECT COUNT(*) FROM update_jobs") == 3, TimeSpan.FromSeconds(10), "the old finished job is removed");
        Assert.Equal(["fresh-finished", "old-running", "recent-finished"], await ListAsync(controller, "SELECT id FROM update_jobs ORDER BY id"));
        // Step logs go after 7 days (the recent job keeps its row, loses its log); running jobs keep everything.
        Assert.Equal(["fresh-finished", "old-running"], await ListAsync(controller, "SELECT DISTINCT job_id FROM update_job_events ORDER BY job_id"));
        Assert.Equal(["Recent"], await ListAsync(controller, "SELECT action FROM audit_events WHERE action IN ('Old', 'Recent')"));
    }

    [Fact]
    public async Task Save_OutOfRangeDays_RefusedPerFieldAndNothingStored()
    {
        using var data = new TempDirectory("retention-bad");
        await using var controller = await ControllerHost.StartAsync(data.Path);
        var retention = controller.Services.GetRequiredService<RetentionService>();

        var errors = await retention.SaveAsync(new RetentionSettings(-1, 5, RetentionSettings.MaxDays + 1), "admin", Token);

        Assert.Equal(["auditDays", "jobDays"], errors.Keys.Order());
        Assert.Equal(RetentionSettings.KeepForever, await retention.GetAsync(Token));
    }

    [Fact]
    public async Task DefaultBehaviour_Saved_IsOneGlobalRuleReplacedOnTheNextSave_BadScheduleRefused()
    {
        using var data = new TempDirectory("default-behaviour");
        await using var controller = await ControllerHost.StartAsync(data.Path);
        var defaults = controller.Services.GetRequiredService<DefaultBehaviour>();
        Assert.Equal(("notify", "6h", false), await defaults.GetAsync(Token));

        Assert.Empty(await defaults.SaveAsync("approve", "12h", Token));
        Assert.Empty(await defaults.SaveAsync("auto", "0 3 * * *", Token));
        var bad = await defaults.SaveAsync("auto", "every tuesday", Token);

        Assert.Equal(["schedule"], bad.Keys);
        Assert.Equal(("auto", "0 3 * * *", true), await defaults.GetAsync(Token));
        var rules = await controller.GetJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/policy/rules");
        var rule = Assert.Single(rules, r => r.GetProperty("name").GetString() == DefaultBehaviour.RuleName);
        Assert.Equal("global", rule.GetProperty("scope").GetString());
        Assert.Equal("auto", rule.GetProperty("settings").GetProperty("mode").GetString());
    }

    private static async Task InsertJobAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string id, string state, DateTimeOffset at)
    {
        var text = DbTime.ToText(at);
        await connection.ExecuteAsync(
            """
            INSERT INTO update_jobs (id, host_id, container_id, container_name, kind, trigger, requested_by, target_image, state, outcome, created_at, finished_at)
            VALUES (@id, 'h', @id, @id, 'update', 'api', 'test', 'repo@sha256:00', @state, CASE WHEN @state = 'finished' THEN 'succeeded' END, @text,
                    CASE WHEN @state = 'finished' THEN @text END);
            INSERT INTO update_job_events (job_id, sequence, step, message, progress, at) VALUES (@id, 1, 'pull', 'pulled', 1, @text);
            """,
            new { id, state, text });
    }

    private static async Task<int> CountAsync(ControllerHost controller, string sql)
    {
        await using var connection = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(Token);
        return await connection.ExecuteScalarAsync<int>(sql);
    }

    private static async Task<List<string>> ListAsync(ControllerHost controller, string sql)
    {
        await using var connection = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(Token);
        return [.. await connection.QueryAsync<string>(sql)];
    }
}
