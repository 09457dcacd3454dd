using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Harbor.Controller.Features;
using Harbor.Controller.Security.ApiKeys;
using Harbor.Controller.Security.Audit;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Enrollment;
using Harbor.Controller.Security.Login;
using Harbor.Controller.Security.Mfa;
using Harbor.Controller.Security.Secrets;
using Harbor.Controller.Security.Sessions;
using Harbor.Controller.Security.Setup;
using Harbor.Controller.Security.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Harbor.Controller.Security;

/// <summary>Registers, wires into the pipeline, and maps everything security: people, machines, HTTP hardening, audit.</summary>
internal static class SecurityExtensions
{
    public const string DefaultScheme = "Harbor";

    /// <summary>Called by AddHarborController after the database initializer is registered (hosted services start in order).</summary>
    public static IHostApplicationBuilder AddHarborSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FeatureFlags>();

        // Secrets at rest: the key ring lives in the data directory (owner-only), outside the database,
        // so a copy of harbor.db alone reveals no secret. The application name pins the key purpose to
        // Harbor rather than to the install path.
        var dataDirectory = (builder.Configuration.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions()).ResolveDataDirectory();
        var keysDirectory = Path.Combine(dataDirectory, "keys");
        services.AddDataProtection()
            .SetApplicationName("Harbor")
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        services.AddSingleton(sp =>
        {
            DataDirectoryPermissions.EnsureOwnerOnly(dataDirectory);
            DataDirectoryPermissions.EnsureOwnerOnly(keysDirectory);
            Log.DataProtectionKeys(sp.GetRequiredService<ILogger<SecretProtector>>(), keysDirectory);
            return new SecretProtector(sp.GetRequiredService<IDataProtectionProvider>());
        });
        services.AddSingleton<SecretStore>();

        // People.
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<FirstRunSetup>();
        services.AddSingleton<FirstAdminCreation>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstRunSetup>());
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<SignIn>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<LoginService>();
        services.AddSingleton<MfaService>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<HostAccess>();

        // Machines: the agent CA (created on first start) and how agent streams are authenticated.
        services.AddSingleton<AgentCertificateAuthority>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentCertificateAuthority>());
        services.AddSingleton<AgentEnrollment>();
        // After the CA (hosted services start in this order): the token names the CA's fingerprint.
        services.AddHostedService<LocalAgentTokenFile>();
        var devToken = builder.Configuration[Extensions.ControllerListeners.DevTokenKey];
        if (!string.IsNullOrWhiteSpace(devToken))
        {
            if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"{Extensions.ControllerListeners.DevTokenKey} is for development only (ASPNETCORE_ENVIRONMENT=Development, as under the Aspire AppHost). " +
                    "Agents in any other environment enroll with a token and connect over TLS: see docs/security.md.");
            }

            services.AddSingleton<IAgentAuthenticator, DevTokenAgentAuthenticator>();
        }
        else
        {
            services.AddSingleton<IAgentAuthenticator, CertificateAgentAuthenticator>();
        }

        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Session cookie or API key", options =>
                // Probes are public and answer from the health checks alone: checking a credential a probe happens
                // to carry would need the database, turning "database down" (503) into a 500.
                options.ForwardDefaultSelector = context => PublicEndpoints.IsProbe(context.Request.Path)
                    ? ProbeAuthenticationHandler.SchemeName
                    : context.Request.Headers.Authorization.Count > 0
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ProbeAuthenticationHandler>(ProbeAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        // One policy for everything, and it is the fallback: an endpoint that says nothing is still protected.
        var policy = new AuthorizationPolicyBuilder().AddRequirements(new HarborAccessRequirement()).Build();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(policy)
            .SetDefaultPolicy(policy)
            .AddPolicy(HarborAccessRequirement.PolicyName, policy);
        services.AddSingleton<IAuthorizationHandler, HarborAccessHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    /// <summary>TLS for the agent hub: the CA-signed server certificate (with the CA in its chain) and a request for the agent's client certificate.</summary>
    public static Func<TlsHandshakeCallbackContext, ValueTask<SslServerAuthenticationOptions>> AgentHubTls(IServiceProvider services) => _ =>
    {
        var ca = services.GetRequiredService<AgentCertificateAuthority>();
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = ca.ServerCertificateContext,
            ClientCertificateRequired = true,
            // No certificate is fine here (an agent enrolling has none yet; Connect then refuses it with a reason).
            // A certificate from another CA is refused at the handshake; revocation is checked per call.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is null || (certificate is X509Certificate2 presented && ca.CheckClientCertificate(presented) is null),
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        });
    };

    /// <summary>Security middleware, in order: headers, audit (sees the final status), authentication, authorization, CSRF.</summary>
    public static WebApplication UseHarborSecurity(this WebApplication app)
    {
        // Resolve now so a bad flag stops start-up with the reason.
        _ = app.Services.GetRequiredService<FeatureFlags>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (app.Services.GetRequiredService<Extensions.ControllerListeners>().ApiUsesTls)
        {
            app.UseHsts();
        }

        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CsrfMiddleware>();
        return app;
    }

    public static WebApplication MapHarborSecurity(this WebApplication app)
    {
        app.MapFeaturesApi();
        app.MapSetupApi();
        app.MapAuthApi();
        app.MapMfaApi();
        app.MapSessionsApi();
        app.MapUsersApi();
        app.MapApiKeysApi();
        app.MapAgentsApi();
        app.MapAuditApi();
        return app;
    }
}
