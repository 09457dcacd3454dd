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

        if (version == 2)
        {
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
        }
    }

    private static async Task AssertSeededAsync(SqliteConnection connection, int version)
    {
        if (version >= 2)
        {
            Assert.Equal("web", await connection.ExecuteScalarAsync<string>("SELECT name FROM containers WHERE host_id = 'agent-1' AND id = 'c1'"));
        }

        if (version >= 3)
        {
            // Users, keys, agent identities and the encrypted CA key survive later migrations.
            Assert.Equal("admin", await connection.ExecuteScalarAsync<string>("SELECT user_name FROM users WHERE id = 'u_1'"));
            Assert.Equal("ci", await connection.ExecuteScalarAsync<string>("SELECT name FROM api_keys WHERE id = '0123456789abcdef'"));
            Assert.Equal("agent-1", await connection.ExecuteScalarAsync<string>("SELECT agent_id FROM agent_credentials WHERE thumbprint = 'thumb'"));
            Assert.Equal("CfDJ8-ciphertext", await connection.ExecuteScalarAsync<string>("SELECT value FROM secrets WHERE name = 'agents.ca.key'"));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Dispose();
    }
}
