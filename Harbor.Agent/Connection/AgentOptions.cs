using System.ComponentModel.DataAnnotations;

namespace Harbor.Agent.Connection;

// Range(typeof(TimeSpan)) and MaxLength read their operands by reflection when the attribute itself validates. Here only the
// generated validator (XxxOptionsValidator, [OptionsValidator]) reads them, and it emits reflection-free copies of both.
#pragma warning disable IL2026

/// <summary>Section <c>Harbor:Agent</c>: who the agent is and where its controller lives.</summary>
internal sealed class AgentOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Agent";

    /// <summary>
    /// The controller's agent hub, e.g. <c>https://controller.lan:8481</c>. A service name such as
    /// <c>http://controller</c> is resolved through service discovery (the Aspire AppHost sets it).
    /// https:// (TLS, enrolled agents) unless <see cref="DevToken"/> is set, which needs http://.
    /// </summary>
    [Required]
    [Url]
    public string ControllerUrl { get; set; } = "https://127.0.0.1:8481";

    /// <summary>
    /// The token from <c>POST /api/v1/agents/enrollment-tokens</c>. Used once, on first start (or when
    /// it changes), to obtain the agent's own certificate; it can stay configured afterwards.
    /// </summary>
    public string? EnrollmentToken { get; set; }

    /// <summary>
    /// Read the enrollment token from this file when <see cref="EnrollmentToken"/> is empty: the file the
    /// controller writes for the agent beside it (Harbor:Controller:Agents:LocalAgentTokenFile, a volume both
    /// mount). Until it exists the agent waits, retrying with its reconnect backoff.
    /// </summary>
    public string? EnrollmentTokenFile { get; set; }

    /// <summary>Development only (the Aspire AppHost): the controller's shared DevToken, sent over plain HTTP/2.</summary>
    public string? DevToken { get; set; }

    /// <summary>Where the agent keeps its identity (and later its journal). Defaults to ~/.local/share/harbor/agent.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Name reported for the host; defaults to the machine name.</summary>
    [MaxLength(253)]
    public string? HostName { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var https = ControllerUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(DevToken) && https)
        {
            yield return new ValidationResult(
                $"{nameof(DevToken)} is development mode, which uses plain http://; {nameof(ControllerUrl)} is '{ControllerUrl}'.", [nameof(ControllerUrl)]);
        }

        if (string.IsNullOrWhiteSpace(DevToken) && !https)
        {
            yield return new ValidationResult(
                $"{nameof(ControllerUrl)} '{ControllerUrl}' must be https:// (the agent hub serves TLS); plain http:// is only for development mode ({nameof(DevToken)}).",
                [nameof(ControllerUrl)]);
        }
    }

    public string ResolveStateDirectory() =>
        string.IsNullOrWhiteSpace(StateDirectory)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "harbor", "agent")
            : Path.GetFullPath(StateDirectory);
}
