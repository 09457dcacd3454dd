using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// Which TLS server certificates a channel accepts: the system's trust store by default; with a
/// pinned SHA-256 fingerprint exactly that certificate (and nothing else); with a CA certificate
/// also chains to that CA (the host name must still match). Home-lab mail servers and brokers with
/// self-signed certificates are trusted this way; there is deliberately no "accept any".
/// </summary>
internal sealed class ServerTrust
{
    public const string PinSetting = "tlsCertificateSha256";
    public const string CaSetting = "tlsCaCertificate";

    private readonly byte[]? pin;
    private readonly X509Certificate2Collection? authorities;

    private ServerTrust(byte[]? pin, X509Certificate2Collection? authorities)
    {
        this.pin = pin;
        this.authorities = authorities;
    }

    /// <summary>The SHA-256 fingerprint of the last certificate that was refused, for the error message.</summary>
    public string? RefusedFingerprint { get; private set; }

    public SslPolicyErrors RefusedErrors { get; private set; }

    public static readonly IReadOnlyList<ChannelField> Fields =
    [
        new(PinSetting, ChannelFieldKind.Text, Required: false, Secret: false,
            "Accept only the server certificate with this SHA-256 fingerprint (64 hex digits, colons allowed), e.g. a self-signed one; system trust is then not used."),
        new(CaSetting, ChannelFieldKind.Text, Required: false, Secret: false,
            "A CA certificate (PEM) to trust besides the system's, e.g. a home-lab CA; the host name must still match."),
    ];

    /// <summary>Throws <see cref="FormatException"/> for settings that validation would have refused.</summary>
    public static ServerTrust From(ChannelSettings settings)
    {
        var pin = settings.Get(PinSetting) is { } text ? ParsePin(text) ?? throw new FormatException($"{PinSetting} is not a SHA-256 fingerprint.") : null;
        X509Certificate2Collection? authorities = null;
        if (settings.Get(CaSetting) is { } pem)
        {
            authorities = [];
            authorities.ImportFromPem(pem);
        }

        return new ServerTrust(pin, authorities);
    }

    public static string? FieldProblem(string name, string value)
    {
        if (name == PinSetting && ParsePin(value) is null)
        {
            return $"'{PinSetting}' must be a SHA-256 fingerprint: 64 hex digits (colons allowed), e.g. from `openssl x509 -noout -fingerprint -sha256`.";
        }

        if (name == CaSetting)
        {
            try
            {
                var certificates = new X509Certificate2Collection();
                certificates.ImportFromPem(value);
                return certificates.Count == 0 ? $"'{CaSetting}' must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)." : null;
            }
            catch (CryptographicException)
            {
                return $"'{CaSetting}' is not a readable PEM certificate.";
            }
        }

        return null;
    }

    public static IEnumerable<KeyValuePair<string, string>> SettingsProblems(IReadOnlyDictionary<string, string> values)
    {
        if (values.ContainsKey(PinSetting) && values.ContainsKey(CaSetting))
        {
            yield return new(CaSetting, $"Set either '{PinSetting}' (exactly one certificate) or '{CaSetting}' (a CA), not both.");
        }
    }

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        var accepted = certificate is not null && Accepts(certificate, errors);
        if (!accepted)
        {
            RefusedFingerprint = certificate is null ? null : Fingerprint(certificate);
            RefusedErrors = errors;
        }

        return accepted;
    }

    /// <summary>Why the last certificate was refused, in words a user can act on.</summary>
    public string Explain() =>
        RefusedFingerprint is null
            ? "The server sent no TLS certificate."
            : $"The server's TLS certificate (SHA-256 {RefusedFingerprint}) is not trusted ({RefusedErrors})"
              + (pin is not null ? $"; it is not the pinned {PinSetting}." : $"; if this is your server, set {PinSetting} to that fingerprint or {CaSetting} to its CA.");

    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    private bool Accepts(X509Certificate certificate, SslPolicyErrors errors)
    {
        if (pin is not null)
        {
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pin);
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only a chain problem can be cured by the extra CA; a wrong host name never is.
        if (authorities is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static byte[]? ParsePin(string text)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Trim();
        if (hex.Length != 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
