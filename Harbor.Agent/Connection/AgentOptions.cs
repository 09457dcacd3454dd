using System.ComponentModel.DataAnnotations;

namespace Harbor.Agent.Connection;

/// <summary>Section <c>Harbor:Agent</c>: who the agent is and where its controller lives.</summary>
internal sealed class AgentOptions
{
    public const string SectionName = "Harbor:Agent";

    /// <summary>
    /// The controller's address, e.g. <c>http://127.0.0.1:8481</c> (the controller's agent hub port). A service name such as
    /// <c>http://controller</c> is resolved through service discovery (the Aspire AppHost sets it).
    /// </summary>
    [Required]
    [Url]
    public string ControllerUrl { get; set; } = "http://127.0.0.1:8481";

    /// <summary>Shared agent token, sent as a Bearer token on the stream.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the token (e.g. the controller's generated data/agent-token), read when Token is empty.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Where the agent keeps its identity (and later its journal). Defaults to ~/.local/share/harbor/agent.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Name reported for the host; defaults to the machine name.</summary>
    [MaxLength(253)]
    public string? HostName { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public string ResolveStateDirectory() =>
        string.IsNullOrWhiteSpace(StateDirectory)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "harbor", "agent")
            : Path.GetFullPath(StateDirectory);
}
