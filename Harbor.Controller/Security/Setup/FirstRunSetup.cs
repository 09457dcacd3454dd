using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Harbor.Controller.Data;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Setup;

/// <summary>
/// The first-run setup token. While no user exists the controller prints a fresh random token in its
/// log at start-up; creating the first admin needs it. It is held only in memory, as a hash, and is
/// spent by the first successful use, so it can neither be reused nor used once a user exists.
/// It is also written to <c>setup-token</c> in the (owner-only) data directory, for whoever cannot
/// see the log but can read the data directory (which holds the database anyway); the file goes
/// away when the token is spent.
/// </summary>
internal sealed class FirstRunSetup(Users.UserStore users, IOptions<DataOptions> dataOptions, ILogger<FirstRunSetup> logger) : IHostedService
{
    public const string Prefix = "hst_";
    public const string FileName = "setup-token";
    private readonly string tokenFile = Path.Combine(dataOptions.Value.ResolveDataDirectory(), FileName);
    private byte[]? tokenHash;

    /// <summary>False once the first admin exists (or before start-up found that one does).</summary>
    public bool Pending => Volatile.Read(ref tokenHash) is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(cancellationToken))
        {
            File.Delete(tokenFile);
            return;
        }

        var token = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        Volatile.Write(ref tokenHash, Hash(token));
        WriteTokenFile(token);
        Log.SetupTokenIssued(logger, token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Spends the token if <paramref name="presented"/> is it. Exactly one caller can win, even when
    /// several race; a wrong guess leaves the token in place.
    /// </summary>
    public bool TrySpend(string? presented)
    {
        var expected = Volatile.Read(ref tokenHash);
        if (expected is null || string.IsNullOrEmpty(presented)
            || !CryptographicOperations.FixedTimeEquals(Hash(presented), expected))
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref tokenHash, null, expected) != expected)
        {
            return false;
        }

        File.Delete(tokenFile);
        return true;
    }

    private void WriteTokenFile(string token)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(tokenFile);
        using var writer = new StreamWriter(new FileStream(tokenFile, options));
        writer.Write(token);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
}
