using Microsoft.AspNetCore.DataProtection;

namespace Harbor.Controller.Security.Secrets;

/// <summary>
/// Encrypts secrets for storage with ASP.NET Core Data Protection (keys in the data directory,
/// owner-only). Everything secret that Harbor must be able to read back (the CA key, TOTP seeds,
/// registry and notification credentials) goes through here before it reaches the database.
/// </summary>
internal sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Harbor.Secrets.v1");

    public string Protect(string plaintext) => protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => protector.Unprotect(ciphertext);
}
