using Microsoft.AspNetCore.Identity;

namespace Harbor.Controller.Security.Users;

/// <summary>
/// ASP.NET Core Identity's password hasher (PBKDF2-HMAC-SHA512, per-password salt, format versioned
/// so old hashes are upgraded at the next successful sign-in).
/// </summary>
internal sealed class PasswordHashing
{
    private readonly PasswordHasher<UserRow> hasher = new();

    // Verified against when the user name does not exist, so a miss costs as long as a wrong password.
    private readonly Lazy<string> decoy;

    public PasswordHashing() => decoy = new(() => hasher.HashPassword(null!, Guid.NewGuid().ToString("N")));

    public string Hash(string password) => hasher.HashPassword(null!, password);

    /// <summary>Whether the password matches; <paramref name="rehash"/> is set when the stored format is outdated.</summary>
    public bool Verify(string hash, string password, out bool rehash)
    {
        var result = hasher.VerifyHashedPassword(null!, hash, password);
        rehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }

    public void VerifyDecoy(string password) => hasher.VerifyHashedPassword(null!, decoy.Value, password);
}
