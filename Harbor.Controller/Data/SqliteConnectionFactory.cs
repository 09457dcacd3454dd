using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Data;

/// <summary>
/// Opens connections to the controller's SQLite file with the settings every connection needs.
/// The file runs in WAL mode (set once by <see cref="DatabaseInitializer"/>), so readers never block the writer.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    private readonly string connectionString;

    public SqliteConnectionFactory(IOptions<DataOptions> options)
    {
        // Owner-only: the database holds password hashes and the encrypted secrets.
        Security.Secrets.DataDirectoryPermissions.EnsureOwnerOnly(options.Value.ResolveDataDirectory());
        DatabasePath = options.Value.DatabasePath;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Also the busy timeout: Microsoft.Data.Sqlite retries SQLITE_BUSY until it expires.
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragma = connection.CreateCommand();
            // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
