using System.Security.Cryptography.X509Certificates;

namespace Harbor.Agent.Connection;

/// <summary>
/// The agent's credential in its state directory: its key (owner-only, never leaves the host), the
/// certificate the controller issued for it, the controller's CA, and which enrollment token was used.
/// </summary>
internal sealed class AgentCredentialFiles(string stateDirectory)
{
    public string KeyPath => Path.Combine(stateDirectory, "agent.key");

    public string CertificatePath => Path.Combine(stateDirectory, "agent.crt");

    public string CaPath => Path.Combine(stateDirectory, "controller-ca.crt");

    public string TokenIdPath => Path.Combine(stateDirectory, "enrollment-token-id");

    public bool Exist => File.Exists(KeyPath) && File.Exists(CertificatePath) && File.Exists(CaPath);

    public string? EnrolledWithTokenId => File.Exists(TokenIdPath) ? File.ReadAllText(TokenIdPath).Trim() : null;

    public (X509Certificate2 Certificate, X509Certificate2 Ca) Load()
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            // Through PKCS#12 so the key is usable by SslStream on every platform.
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            return (certificate, X509CertificateLoader.LoadCertificate(File.ReadAllBytes(CaPath)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new EnrollmentException($"The agent's credential in {stateDirectory} cannot be read ({e.Message}). Delete agent.key and agent.crt and enroll again.", e);
        }
    }

    public void Save(string keyPem, X509Certificate2 certificate, X509Certificate2 ca, string tokenId)
    {
        Directory.CreateDirectory(stateDirectory);
        Write(KeyPath, keyPem, secret: true);
        Write(CaPath, ca.ExportCertificatePem(), secret: false);
        Write(TokenIdPath, tokenId, secret: false);
        // The certificate last: its presence (with the key and CA) marks the agent as enrolled.
        Write(CertificatePath, certificate.ExportCertificatePem(), secret: false);
    }

    /// <summary>Write-then-rename so a crash never leaves a half-written file; the key is owner-only from its first byte.</summary>
    private static void Write(string path, string content, bool secret)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
