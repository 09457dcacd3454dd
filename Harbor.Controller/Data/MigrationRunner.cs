using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Harbor.Controller.Data;

/// <summary>
/// Applies the embedded, numbered, forward-only migrations. Each runs in its own transaction with
/// its bookkeeping row, so a failed migration leaves the database at the previous version.
/// </summary>
internal static partial class MigrationRunner
{
    private const string ResourcePrefix = "Harbor.Controller.Data.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Migrates to <paramref name="targetVersion"/> (default: the newest). Returns the versions applied.</summary>
    public static Task<IReadOnlyList<int>> MigrateAsync(SqliteConnection connection, int? targetVersion = null, CancellationToken cancellationToken = default) =>
        MigrateAsync(connection, All, targetVersion, cancellationToken);

    internal static async Task<IReadOnlyList<int>> MigrateAsync(SqliteConnection connection, IReadOnlyList<Migration> migrations, int? targetVersion, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            ) STRICT;
            """,
            cancellationToken: cancellationToken));

        var current = await CurrentVersionAsync(connection, cancellationToken);
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > newest)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than this Harbor controller knows ({newest}). " +
                "Run a newer controller or restore a backup made for this version.");
        }

        var target = targetVersion ?? newest;
        var applied = new List<int>();
        foreach (var migration in migrations.Where(m => m.Version > current && m.Version <= target))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = DbTime.ToText(DateTimeOffset.UtcNow) },
                transaction,
                cancellationToken: cancellationToken));
            transaction.Commit();
            applied.Add(migration.Version);
        }

        return applied;
    }

    public static Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken = default) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken: cancellationToken));

    private static List<Migration> Load()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
