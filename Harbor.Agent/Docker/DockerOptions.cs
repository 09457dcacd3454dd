using System.ComponentModel.DataAnnotations;

namespace Harbor.Agent.Docker;

// Range(typeof(TimeSpan)) and MaxLength read their operands by reflection when the attribute itself validates. Here only the
// generated validator (XxxOptionsValidator, [OptionsValidator]) reads them, and it emits reflection-free copies of both.
#pragma warning disable IL2026

/// <summary>How the agent reaches its Docker engine. Section <c>Harbor:Agent:Docker</c>.</summary>
internal sealed class DockerOptions
{
    public const string SectionName = "Harbor:Agent:Docker";

    /// <summary>
    /// Engine endpoint, e.g. <c>unix:///var/run/docker.sock</c> or <c>tcp://10.0.0.5:2375</c>.
    /// Defaults to <c>DOCKER_HOST</c>, then the standard unix socket.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>Timeout for a single (non-streaming) Engine API request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Docker CLI config the agent reads registry credentials from when the controller sends none.
    /// Defaults to <c>$DOCKER_CONFIG/config.json</c>, then <c>~/.docker/config.json</c>.
    /// </summary>
    public string? ConfigFile { get; set; }

    public string ResolveConfigFile()
    {
        if (!string.IsNullOrWhiteSpace(ConfigFile))
        {
            return Path.GetFullPath(ConfigFile);
        }

        var directory = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        return string.IsNullOrWhiteSpace(directory)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json")
            : Path.Combine(directory, "config.json");
    }

    public Uri ResolveEndpoint()
    {
        var configured = string.IsNullOrWhiteSpace(Endpoint)
            ? Environment.GetEnvironmentVariable("DOCKER_HOST")
            : Endpoint;
        return new Uri(string.IsNullOrWhiteSpace(configured) ? "unix:///var/run/docker.sock" : configured);
    }
}
