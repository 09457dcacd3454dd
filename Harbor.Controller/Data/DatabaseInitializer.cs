using Dapper;
using Harbor.Controller.Diagnostics;

namespace Harbor.Controller.Data;

/// <summary>
/// Runs first at start-up: switches the file to WAL and applies pending migrations, so nothing
/// else ever sees an old schema. A failure stops the controller with the reason.
/// </summary>
internal sealed class DatabaseInitializer(SqliteConnectionFactory connections, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
        var applied = await MigrationRunner.MigrateAsync(connection, cancellationToken: cancellationToken);
        var version = await MigrationRunner.CurrentVersionAsync(connection, cancellationToken);
        Log.DatabaseReady(logger, connections.DatabasePath, version, applied.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
