using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Security;

/// <summary>Section <c>Harbor:Security</c>: sessions, sign-in limits, passwords, API keys, agent credentials.</summary>
internal sealed class SecurityOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Security";

    /// <summary>A session ends after this long without a request.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan SessionAbsoluteTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// <c>Auto</c> marks the session cookie Secure on HTTPS requests; <c>Always</c> marks it Secure
    /// everywhere (for a TLS-terminating reverse proxy in front of plain HTTP).
    /// </summary>
    public CookieSecurePolicy SecureCookie { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>Failed sign-ins for one user name (existing or not) before it is locked.</summary>
    [Range(1, 100)]
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long a locked user name (or address) stays locked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed sign-ins from one address, for any names, before the address is locked.</summary>
    [Range(1, 10_000)]
    public int LockoutFailuresPerAddress { get; set; } = 50;

    [Range(8, 128)]
    public int PasswordMinLength { get; set; } = 12;

    /// <summary>The issuer shown in authenticator apps.</summary>
    [Required]
    [MaxLength(64)]
    public string TotpIssuer { get; set; } = "Harbor";

    /// <summary>How long an enrollment token is valid when the request does not say.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan EnrollmentTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an agent's client certificate is valid.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan AgentCertificateLifetime { get; set; } = TimeSpan.FromDays(825);

    /// <summary>How long a rotated API key keeps working when the rotation request does not say.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan ApiKeyRotationGrace { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionIdleTimeout > SessionAbsoluteTimeout)
        {
            yield return new ValidationResult(
                $"{nameof(SessionIdleTimeout)} ({SessionIdleTimeout}) cannot be longer than {nameof(SessionAbsoluteTimeout)} ({SessionAbsoluteTimeout}).",
                [nameof(SessionIdleTimeout)]);
        }
    }
}
