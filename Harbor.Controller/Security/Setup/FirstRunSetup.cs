using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Harbor.Controller.Security.Setup;

/// <summary>
/// The first-run setup token. While no user exists the controller prints a fresh random token in its
/// log at start-up; creating the first admin needs it. It is held only in memory, as a hash, and is
/// spent by the first successful use, so it can neither be reused nor used once a user exists.
/// </summary>
internal sealed class FirstRunSetup(Users.UserStore users, ILogger<FirstRunSetup> logger) : IHostedService
{
    public const string Prefix = "hst_";
    private byte[]? tokenHash;

    /// <summary>False once the first admin exists (or before start-up found that one does).</summary>
    public bool Pending => Volatile.Read(ref tokenHash) is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(cancellationToken))
        {
            return;
        }

        var token = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        Volatile.Write(ref tokenHash, Hash(token));
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

        return Interlocked.CompareExchange(ref tokenHash, null, expected) == expected;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
}
