using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Harbor.Testing;

/// <summary>
/// A small token server implementing distribution's documented JWT token authentication: the
/// registry (configured with <c>auth: token:</c> realm/service/issuer/rootcertbundle) sends clients
/// here with a Bearer challenge; this server checks their Basic credentials and answers a JWT, signed
/// with RS256 by a test certificate it generates, that grants the requested repository actions.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "harbor-test-registry";
    public const string Issuer = "harbor-test-issuer";

    private readonly StubHttpServer server;
    private readonly RSA key;
    private readonly X509Certificate2 certificate;
    private readonly ConcurrentDictionary<string, string> users;
    private int requests;

    private TokenServer(StubHttpServer server, RSA key, X509Certificate2 certificate, ConcurrentDictionary<string, string> users)
    {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
        this.users = users;
    }

    /// <summary>The realm the registry names in its challenge.</summary>
    public Uri Realm => new(server.BaseAddress, "/token");

    /// <summary>PEM of the signing certificate, for the registry's rootcertbundle.</summary>
    public string CertificatePem => certificate.ExportCertificatePem();

    /// <summary>Token requests served so far.</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>Answer with <c>access_token</c> only (as OAuth-style servers do) instead of <c>token</c>.</summary>
    public bool UseAccessTokenField { get; set; }

    public static async Task<TokenServer> StartAsync(string username, string password)
    {
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=harbor-test-token-signer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var users = new ConcurrentDictionary<string, string> { [username] = password };
        TokenServer? self = null;
        var server = await StubHttpServer.StartAsync(context => self!.HandleAsync(context));
        self = new TokenServer(server, rsa, certificate, users);
        return self;
    }

    /// <summary>A token for the given scopes as the named user would get it (for pushing test content).</summary>
    public string IssueToken(string subject, params string[] scopes) => CreateJwt(subject, scopes.Select(ParseScope).Where(s => s is not null).Select(s => s!.Value));

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        if (context.Request.Path != "/token" || context.Request.Query["service"] != Service)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var subject = "";
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !users.TryGetValue(decoded[..colon], out var expected) || expected != decoded[(colon + 1)..])
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { details = "incorrect username or password" });
                return;
            }

            subject = decoded[..colon];
        }

        // Anonymous callers get a token that grants nothing: the registry then refuses them.
        var access = subject.Length == 0
            ? []
            : context.Request.Query["scope"].Select(s => ParseScope(s ?? "")).Where(s => s is not null).Select(s => s!.Value).ToList();
        var token = CreateJwt(subject, access);
        var now = DateTimeOffset.UtcNow;
        object body = UseAccessTokenField
            ? new { access_token = token, expires_in = 300, issued_at = now.ToString("O") }
            : new { token, expires_in = 300, issued_at = now.ToString("O") };
        await context.Response.WriteAsJsonAsync(body);
    }

    private static (string Type, string Name, string[] Actions)? ParseScope(string scope)
    {
        var parts = scope.Split(':');
        return parts.Length < 3 ? null : (parts[0], string.Join(':', parts[1..^1]), parts[^1].Split(','));
    }

    private string CreateJwt(string subject, IEnumerable<(string Type, string Name, string[] Actions)> access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) },
        };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access.Select(a => new { type = a.Type, name = a.Name, actions = a.Actions }).ToArray(),
        };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        certificate.Dispose();
        key.Dispose();
    }
}
