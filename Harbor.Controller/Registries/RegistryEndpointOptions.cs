using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Registries;

/// <summary>Settings for one registry host: TLS trust, plain HTTP, concurrency.</summary>
internal sealed class RegistryEndpointOptions
{
    /// <summary>The registry as it appears in image references: <c>registry.example.com</c>, <c>10.0.0.5:5000</c>.</summary>
    [Required]
    public string Host { get; set; } = "";

    /// <summary>
    /// Talk plain HTTP to this registry. Off by default; loopback registries (localhost, 127.0.0.0/8, ::1)
    /// default to on, as the Docker engine treats them as insecure registries too.
    /// </summary>
    public bool? Insecure { get; set; }

    /// <summary>A PEM file with the CA certificate(s) that sign this registry's TLS certificate, trusted in addition to the system store.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>At most this many requests in flight to this registry (default: <see cref="RegistryClientOptions.MaxConcurrencyPerRegistry"/>).</summary>
    [Range(1, 256)]
    public int? MaxConcurrency { get; set; }
}
