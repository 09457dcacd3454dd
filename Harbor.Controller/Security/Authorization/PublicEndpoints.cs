using Microsoft.AspNetCore.Routing.Patterns;

namespace Harbor.Controller.Security.Authorization;

/// <summary>
/// The only endpoints anyone may call without signing in. Everything else needs a session or an
/// API key (the fallback policy), so an endpoint added later is protected without doing anything.
/// Keep this list short; <c>EndpointSecurityTests</c> proves every other endpoint refuses anonymous calls.
/// </summary>
internal static class PublicEndpoints
{
    /// <summary>HTTP method and route pattern of each public endpoint.</summary>
    public static IReadOnlyList<(string Method, string Route)> Http { get; } =
    [
        // Probes from the AppHost, Docker and orchestrators; they reveal only healthy/unhealthy.
        ("GET", "/health"),
        ("GET", "/alive"),
        // First run: whether setup is needed, and the setup itself (guarded by the one-time token in the log).
        ("GET", "/api/v1/setup"),
        ("POST", "/api/v1/setup"),
        // Signing in (throttled, locks out, never says whether a user exists).
        ("POST", "/api/v1/auth/login"),
        // Registry webhooks authenticate themselves with the webhook secret (URL, Authorization header or HMAC).
        ("POST", "/api/v1/webhooks/{source}"),
        ("POST", "/api/v1/webhooks/{source}/{secret}"),
    ];

    /// <summary>
    /// gRPC methods that need no agent credential: the CA certificate (public by nature), and Enroll,
    /// guarded by the single-use secret of an enrollment token instead. Every other gRPC method is
    /// authenticated by the agent interceptor.
    /// </summary>
    public static IReadOnlySet<string> GrpcMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "/harbor.agent.v1.AgentHub/GetCertificateAuthority",
        "/harbor.agent.v1.AgentHub/Enroll",
    };

    /// <summary>Whether the path is a health probe, answered without looking at any credential.</summary>
    public static bool IsProbe(PathString path) =>
        path.Equals(ServiceDefaultsExtensions.HealthEndpointPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(ServiceDefaultsExtensions.AlivenessEndpointPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a request with this method to this endpoint may be anonymous.</summary>
    public static bool IsPublic(Endpoint? endpoint, string method)
    {
        if (endpoint is not RouteEndpoint route)
        {
            return false;
        }

        var pattern = Normalize(route.RoutePattern);
        var methods = route.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
        return (methods is null || methods.Contains(method, StringComparer.OrdinalIgnoreCase))
            && Http.Any(p => string.Equals(p.Route, pattern, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Method, method, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>/api/v1/setup/</c> and <c>/api/v1/setup</c> are the same route.</summary>
    public static string Normalize(RoutePattern pattern)
    {
        var text = pattern.RawText ?? string.Empty;
        text = text.StartsWith('/') ? text : "/" + text;
        return text.Length > 1 ? text.TrimEnd('/') : text;
    }
}
