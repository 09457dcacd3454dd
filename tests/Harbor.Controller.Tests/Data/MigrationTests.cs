using Dapper;
using Harbor.Controller.Data;
using Harbor.Testing;
using Microsoft.Data.Sqlite;

namespace Harbor.Controller.Tests.Data;

public sealed class MigrationTests : IDisposable
{
    private readonly TempDirectory directory = new("migrations");

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={directory.Combine("harbor.db")};Pooling=False;Foreign Keys=True");
        connection.Open();
        return connection;
    }

    [Fact]
    public async Task Migrate_EmptyDatabase_ReachesNewestVersion()
    {
        using var connection = Open();

        var applied = await MigrationRunner.MigrateAsync(connection, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(MigrationRunner.All.Select(m => m.Version), applied);
        Assert.Equal(MigrationRunner.All[^1].Version, await MigrationRunner.CurrentVersionAsync(connection, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Migrate_Twice_AppliesNothingTheSecondTime()
    {
        using var connection = Open();
        await MigrationRunner.MigrateAsync(connection, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(await MigrationRunner.MigrateAsync(connection, cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Every migration upgrades a database that holds data written at the previous version, and the
    /// data is still readable afterwards. New migrations are covered by adding their seed below.
    /// </summary>
    [Fact]
    public async Task Migrate_EachStepFromThePrevious_KeepsExistingRows()
    {
        using var connection = Open();
        foreach (var migration in MigrationRunner.All)
        {
            await MigrationRunner.MigrateAsync(connection, migration.Version - 1, TestContext.Current.CancellationToken);
            await SeedAsync(connection, migration.Version - 1);

            var applied = await MigrationRunner.MigrateAsync(connection, migration.Version, TestContext.Current.CancellationToken);

            Assert.Equal([migration.Version], applied);
            await AssertSeededAsync(connection, migration.Version);
        }
    }

    [Fact]
    public async Task Migrate_DatabaseFromNewerController_RefusesWithClearReason()
    {
        using var connection = Open();
        await MigrationRunner.MigrateAsync(connection, cancellationToken: TestContext.Current.CancellationToken);
        await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01T00:00:00.0000000Z')");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrationRunner.MigrateAsync(connection, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("newer than this Harbor controller", error.Message);
    }

    [Fact]
    public async Task Migrate_FailingScript_LeavesThePreviousVersionAndNoPartialChanges()
    {
        using var connection = Open();
        Migration[] migrations =
        [
            new(1, "first", "CREATE TABLE first_table (x INTEGER);"),
            new(2, "broken", "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);"),
        ];

        await Assert.ThrowsAsync<SqliteException>(() => MigrationRunner.MigrateAsync(connection, migrations, null, TestContext.Current.CancellationToken));

        Assert.Equal(1, await MigrationRunner.CurrentVersionAsync(connection, TestContext.Current.CancellationToken));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'"));
    }

    private static async Task SeedAsync(SqliteConnection connection, int version)
    {
        if (version == 14)
        {
            // A token revoked before 0015 recorded who revoked it (that was in the audit log only).
            await connection.ExecuteAsync(
                """
                INSERT INTO enrollment_tokens (id, secret_hash, created_by, created_at, expires_at, revoked_at)
                VALUES ('tok-old', 'hash', 'admin', '2026-01-01T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z', '2026-01-01T01:00:00.0000000Z')
                """);
        }


        if (version == 1)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO hosts (id, name, agent_version, os, architecture, engine_version, engine_api_version, engine_reachable,
                                   capabilities, first_seen_at, last_seen_at)
                VALUES ('agent-1', 'host-1', '0.1.0', 'linux', 'amd64', '27.0.0', '1.47', 1, '[]',
                        '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO containers (host_id, id, name, image, image_id, state, health, restart_count, exit_code,
                                        repo_digests, labels, networks, ports, updated_at)
                VALUES ('agent-1', 'c1', 'web', 'nginx:1', 'sha256:1', 'running', 'none', 0, 0, '[]', '{}', '[]', '[]',
                        '2026-01-01T00:00:00.0000000Z');
                """);
        }
    }

    private static async Task AssertSeededAsync(SqliteConnection connection, int version)
    {
        if (version >= 2)
        {
            Assert.Equal("web", await connection.ExecuteScalarAsync<string>("SELECT name FROM containers WHERE host_id = 'agent-1' AND id = 'c1'"));
        }

        if (version == 2)
        {
            // 0002_updates: jobs for the existing inventory, at most one unfinished job per container.
            await connection.ExecuteAsync(
                """
                INSERT INTO update_jobs (id, host_id, container_id, container_name, kind, trigger, requested_by, target_image, state, created_at)
                VALUES ('job-1', 'agent-1', 'c1', 'web', 'update', 'api', 'anonymous', 'nginx@sha256:1', 'sent', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO update_job_events (job_id, sequence, step, message, progress, at)
                VALUES ('job-1', 1, 'accepted', 'accepted', 0, '2026-01-01T00:00:01.0000000Z');
                INSERT INTO blocked_digests (host_id, container_name, digest, job_id, reason, blocked_at)
                VALUES ('agent-1', 'web', 'sha256:1', 'job-1', 'exited', '2026-01-01T00:00:02.0000000Z');
                """);
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
                """
                INSERT INTO update_jobs (id, host_id, container_id, container_name, kind, trigger, requested_by, target_image, state, created_at)
                VALUES ('job-2', 'agent-1', 'c1', 'web', 'update', 'api', 'anonymous', 'nginx@sha256:2', 'pending', '2026-01-01T00:00:03.0000000Z')
                """));
        }

        if (version >= 3)
        {
            Assert.Equal("sent", await connection.ExecuteScalarAsync<string>("SELECT state FROM update_jobs WHERE id = 'job-1'"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM update_job_events WHERE job_id = 'job-1'"));
            Assert.Equal("exited", await connection.ExecuteScalarAsync<string>("SELECT reason FROM blocked_digests WHERE digest = 'sha256:1'"));
        }

        if (version == 3)
        {
            // 0003_policy: existing hosts have no group until an operator assigns one; rules can be stored.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT host_group FROM hosts WHERE id = 'agent-1'"));
            await connection.ExecuteAsync(
                """
                INSERT INTO policy_rules (name, scope_kind, scope_value, priority, settings, created_at, updated_at)
                VALUES ('canary', 'hostGroup', 'canary', 10, '{"mode":"auto"}', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')
                """);
        }

        if (version >= 4)
        {
            Assert.Equal("canary", await connection.ExecuteScalarAsync<string>("SELECT name FROM policy_rules WHERE scope_kind = 'hostGroup'"));
        }

        if (version == 4)
        {
            // 0004_update_detection: credentials, runs and per-container statuses next to the existing inventory.
            await connection.ExecuteAsync(
                """
                INSERT INTO registry_credentials (id, registry, username, protected_secret, source, created_at, updated_at)
                VALUES ('cred-1', 'ghcr.io', 'octo', 'CfDJ8-protected', 'api', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO check_runs (id, triggered_by, scope, status, created_at) VALUES ('run-1', 'api', 'all', 'completed', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO container_checks (host_id, container_id, status, reference, remote_digest, checked_at, check_run_id)
                VALUES ('agent-1', 'c1', 'update-available', 'docker.io/library/nginx:1', 'sha256:2', '2026-01-01T00:00:00.0000000Z', 'run-1');
                """);
            Assert.Equal("update-available", await connection.ExecuteScalarAsync<string>("SELECT status FROM container_checks WHERE host_id = 'agent-1' AND container_id = 'c1'"));
        }

        if (version >= 5)
        {
            Assert.Equal("update-available", await connection.ExecuteScalarAsync<string>("SELECT status FROM container_checks WHERE host_id = 'agent-1' AND container_id = 'c1'"));
        }

        if (version == 5)
        {
            // 0005_security: users, keys, agent identities and the encrypted CA key.
            await connection.ExecuteAsync(
                """
                INSERT INTO users (id, user_name, password_hash, role, created_at, updated_at)
                VALUES ('u_1', 'admin', 'AQAAAA-hash', 'admin', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO api_keys (id, name, secret_hash, scopes, owner_user_id, created_at)
                VALUES ('0123456789abcdef', 'ci', 'hash', '["read"]', 'u_1', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO agent_credentials (thumbprint, agent_id, host_name, serial_number, issued_at, expires_at)
                VALUES ('thumb', 'agent-1', 'host-1', '01', '2026-01-01T00:00:00.0000000Z', '2028-01-01T00:00:00.0000000Z');
                INSERT INTO secrets (name, value, created_at, updated_at)
                VALUES ('agents.ca.key', 'CfDJ8-ciphertext', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                """);
            Assert.Equal("admin", await connection.ExecuteScalarAsync<string>("SELECT user_name FROM users WHERE id = 'u_1'"));
            Assert.Equal("agent-1", await connection.ExecuteScalarAsync<string>("SELECT agent_id FROM agent_credentials WHERE thumbprint = 'thumb'"));
        }

        if (version >= 6)
        {
            Assert.Equal("admin", await connection.ExecuteScalarAsync<string>("SELECT user_name FROM users WHERE id = 'u_1'"));
        }

        if (version == 6)
        {
            // 0006_automation: first sightings, decisions and approvals sit beside the checks they come from.
            await connection.ExecuteAsync(
                """
                INSERT INTO digest_sightings (host_id, container_name, digest, first_seen_at) VALUES ('agent-1', 'web', 'sha256:2', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO automation_decisions (host_id, container_name, container_id, digest, mode, action, reason, decided_at)
                VALUES ('agent-1', 'web', 'c1', 'sha256:2', 'auto', 'wait', 'Outside the maintenance window', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO approvals (id, host_id, container_id, container_name, image, target_digest, state, created_at, expires_at)
                VALUES ('ap-1', 'agent-1', 'c1', 'web', 'nginx:1', 'sha256:2', 'pending', '2026-01-01T00:00:00.0000000Z', '2026-01-08T00:00:00.0000000Z');
                """);
            Assert.Equal("pending", await connection.ExecuteScalarAsync<string>("SELECT state FROM approvals WHERE id = 'ap-1'"));
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
                "INSERT INTO approvals (id, host_id, container_id, container_name, image, target_digest, state, created_at, expires_at) " +
                "VALUES ('ap-2', 'agent-1', 'c1', 'web', 'nginx:1', 'sha256:2', 'pending', '2026-01-01T00:00:00.0000000Z', '2026-01-08T00:00:00.0000000Z')"));
        }

        if (version == 7)
        {
            // 0007_tracking: existing check results follow their own tag; existing jobs were recreates.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT target_tag FROM container_checks WHERE host_id = 'agent-1' AND container_id = 'c1'"));
            Assert.Equal("docker.io/library/nginx:1", await connection.ExecuteScalarAsync<string>("SELECT reference FROM container_checks WHERE host_id = 'agent-1' AND container_id = 'c1'"));
            Assert.Equal("recreate", await connection.ExecuteScalarAsync<string>("SELECT strategy FROM update_jobs WHERE id = 'job-1'"));
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT from_image FROM update_jobs WHERE id = 'job-1'"));
        }

        if (version == 8)
        {
            // 0008_notifications: channels, rules, outbox and digest items next to the existing data; one outbox row per idempotency key.
            await connection.ExecuteAsync(
                """
                INSERT INTO notification_channels (id, name, type, settings, protected_secrets, created_at, updated_at)
                VALUES ('ch-1', 'ops', 'slack', '{}', 'CfDJ8-protected', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO notification_rules (id, name, channel_id, event_types, digest, created_at, updated_at)
                VALUES ('rule-1', 'updates', 'ch-1', '["update.available"]', 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO notification_digest_items (rule_id, check_run_id, event_key, event_type, line, created_at)
                VALUES ('rule-1', 'run-1', 'boot:1', 'update.available', 'web can be updated', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO notification_outbox (id, idempotency_key, channel_id, event_type, title, body, data, occurred_at, status, next_attempt_at, created_at)
                VALUES ('msg-1', 'boot:1:ch-1', 'ch-1', 'update.available', 't', 'b', '{}', '2026-01-01T00:00:00.0000000Z', 'pending',
                        '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                """);
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
                """
                INSERT INTO notification_outbox (id, idempotency_key, channel_id, event_type, title, body, data, occurred_at, status, next_attempt_at, created_at)
                VALUES ('msg-2', 'boot:1:ch-1', 'ch-1', 'update.available', 't', 'b', '{}', '2026-01-01T00:00:00.0000000Z', 'pending',
                        '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')
                """));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notification_digest_items WHERE rule_id = 'rule-1'"));
        }

        if (version == 9)
        {
            // 0009_job_trace: jobs created before tracing have no trace context; new ones keep theirs.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT trace_parent FROM update_jobs WHERE id = 'job-1'"));
            await connection.ExecuteAsync("UPDATE update_jobs SET trace_parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' WHERE id = 'job-1'");
            Assert.Equal("sent", await connection.ExecuteScalarAsync<string>("SELECT state FROM update_jobs WHERE id = 'job-1'"));
        }

        if (version == 10)
        {
            // 0010_settings: an empty key/value table beside the existing data; one row per key.
            Assert.Equal("sent", await connection.ExecuteScalarAsync<string>("SELECT state FROM update_jobs WHERE id = 'job-1'"));
            await connection.ExecuteAsync("INSERT INTO settings (key, value, updated_at) VALUES ('setup.step', 'agent', '2026-01-01T00:00:00.0000000Z')");
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
                "INSERT INTO settings (key, value, updated_at) VALUES ('setup.step', 'done', '2026-01-01T00:00:00.0000000Z')"));
        }

        if (version == 11)
        {
            // 0011_dependent_restarts: existing jobs have no cause and wait for nothing; a restart names the update that caused it.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT after_job_id FROM update_jobs WHERE id = 'job-1'"));
            Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", await connection.ExecuteScalarAsync<string>("SELECT trace_parent FROM update_jobs WHERE id = 'job-1'"));
            await connection.ExecuteAsync(
                """
                INSERT INTO update_jobs (id, host_id, container_id, container_name, kind, trigger, requested_by, target_image, state, created_at, cause, caused_by_job_id, after_job_id)
                VALUES ('job-r', 'agent-1', 'c2', 'app', 'restart', 'dependency', 'automation', 'app:1', 'pending', '2026-01-01T00:00:00.0000000Z',
                        'dependency ''web'' updated by job job-1', 'job-1', 'job-1')
                """);
            Assert.Equal("job-1", await connection.ExecuteScalarAsync<string>("SELECT caused_by_job_id FROM update_jobs WHERE id = 'job-r'"));
        }

        if (version == 12)
        {
            // 0012_webhook_secret_rate_limits: no rotated secret until an admin rotates one (and only ever one row);
            // one rate-limit row per registry.
            Assert.Equal("job-1", await connection.ExecuteScalarAsync<string>("SELECT caused_by_job_id FROM update_jobs WHERE id = 'job-r'"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_secret"));
            await connection.ExecuteAsync("INSERT INTO webhook_secret (id, protected_secret, rotated_at) VALUES (1, 'x', '2026-01-01T00:00:00.0000000Z')");
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
                "INSERT INTO webhook_secret (id, protected_secret, rotated_at) VALUES (2, 'y', '2026-01-01T00:00:00.0000000Z')"));
            await connection.ExecuteAsync(
                "INSERT INTO registry_rate_limits (registry, remaining, request_limit, paused_until, updated_at) VALUES ('docker.io', 0, 100, '2026-01-01T01:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')");
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
                "INSERT INTO registry_rate_limits (registry, updated_at) VALUES ('docker.io', '2026-01-01T00:00:00.0000000Z')"));
        }

        if (version == 13)
        {
            // 0013_verification_plan: existing jobs have no announced verification phase; a new one records it.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT verification_kind FROM update_jobs WHERE id = 'job-1'"));
            Assert.Equal("job-1", await connection.ExecuteScalarAsync<string>("SELECT caused_by_job_id FROM update_jobs WHERE id = 'job-r'"));
            await connection.ExecuteAsync(
                """
                UPDATE update_jobs SET verification_kind = 'stability', verification_window_ms = 20000,
                    verification_started_at = '2026-01-01T00:00:05.0000000Z', verification_url = NULL
                WHERE id = 'job-r'
                """);
            Assert.Equal(20000, await connection.ExecuteScalarAsync<long>("SELECT verification_window_ms FROM update_jobs WHERE id = 'job-r'"));
        }

        if (version == 14)
        {
            // 0014_check_schedules: existing runs name no containers; a run of due own check schedules names them.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT containers FROM check_runs WHERE id = 'run-1'"));
            await connection.ExecuteAsync(
                """
                INSERT INTO check_runs (id, triggered_by, scope, containers, status, created_at)
                VALUES ('run-own', 'schedule', 'containers', '[{"hostId":"agent-1","containerId":"c1"}]', 'queued', '2026-01-02T00:00:00.0000000Z')
                """);
            Assert.Contains("agent-1", await connection.ExecuteScalarAsync<string>("SELECT containers FROM check_runs WHERE id = 'run-own'"));
        }

        if (version == 15)
        {
            // 0015_agent_identity_history: an existing credential has no recorded use and an existing revoked token no
            // revoker (both unknown, not invented); a stream start records the use, a revocation its caller.
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT last_used_at FROM agent_credentials WHERE thumbprint = 'thumb'"));
            Assert.Equal("2026-01-01T01:00:00.0000000Z", await connection.ExecuteScalarAsync<string>("SELECT revoked_at FROM enrollment_tokens WHERE id = 'tok-old'"));
            Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT revoked_by FROM enrollment_tokens WHERE id = 'tok-old'"));
            await connection.ExecuteAsync(
                """
                UPDATE agent_credentials SET last_used_at = '2026-01-03T00:00:00.0000000Z', last_used_from = '192.0.2.7' WHERE thumbprint = 'thumb';
                INSERT INTO enrollment_tokens (id, secret_hash, created_at, expires_at, revoked_at, revoked_by)
                VALUES ('tok-new', 'hash', '2026-01-03T00:00:00.0000000Z', '2026-01-04T00:00:00.0000000Z', '2026-01-03T00:01:00.0000000Z', 'user:admin');
                """);
            Assert.Equal("192.0.2.7", await connection.ExecuteScalarAsync<string>("SELECT last_used_from FROM agent_credentials WHERE thumbprint = 'thumb'"));
            Assert.Equal("user:admin", await connection.ExecuteScalarAsync<string>("SELECT revoked_by FROM enrollment_tokens WHERE id = 'tok-new'"));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Dispose();
    }
}
