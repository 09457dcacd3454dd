using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Registries;

/// <summary>Section <c>Harbor:Controller:Registries</c>: how the registry client talks to registries.</summary>
internal sealed class RegistryClientOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Controller:Registries";

    /// <summary>Requests in flight to one registry at most (default 8).</summary>
    [Range(1, 256)]
    public int MaxConcurrencyPerRegistry { get; set; } = 8;

    /// <summary>How long one request may take before the registry counts as unreachable (default 20 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for a TCP/TLS connection (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per request for rate limits (429/503) and server errors (default 4).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest Retry-After Harbor waits out inside a check; a longer one fails the request as rate limited (default 60 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First backoff after a server error without Retry-After; doubles per attempt, with jitter (default 500 ms).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After a registry is found unreachable, further requests to it fail at once for this long (default 10 s), so one dead registry never stalls a check.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan UnreachableCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tags asked for per page when listing a repository's tags for semver tracking (<c>?n=</c>, default 1000; registries may send fewer).</summary>
    [Range(1, 10000)]
    public int TagsPageSize { get; set; } = 1000;

    /// <summary>Most pages followed when listing tags (default 100): a bound on the work one repository can cause.</summary>
    [Range(1, 10000)]
    public int MaxTagPages { get; set; } = 100;

    /// <summary>Per-registry settings (TLS, plain HTTP, concurrency).</summary>
    public List<RegistryEndpointOptions> Endpoints { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Endpoints.Count; i++)
        {
            var endpoint = Endpoints[i];
            var prefix = $"{SectionName}:Endpoints:{i}";
            if (!ImageReference.TryParse(endpoint.Host + "/x", out var parsed, out _) || parsed.Registry != endpoint.Host)
            {
                yield return new ValidationResult($"{prefix}:Host '{endpoint.Host}' is not a registry host (like registry.example.com or 10.0.0.5:5000).", ["Endpoints"]);
            }

            if (endpoint.CaCertificateFile is { Length: > 0 } ca && !File.Exists(ca))
            {
                yield return new ValidationResult($"{prefix}:CaCertificateFile '{ca}' does not exist.", ["Endpoints"]);
            }

            if (endpoint.MaxConcurrency is < 1 or > 256)
            {
                yield return new ValidationResult($"{prefix}:MaxConcurrency must be between 1 and 256.", ["Endpoints"]);
            }
        }

        foreach (var duplicate in Endpoints.GroupBy(e => e.Host, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"{SectionName}:Endpoints lists '{duplicate.Key}' more than once.", ["Endpoints"]);
        }
    }

    public RegistryEndpointOptions? Find(string registry) =>
        Endpoints.FirstOrDefault(e => string.Equals(e.Host, registry, StringComparison.OrdinalIgnoreCase));
}
