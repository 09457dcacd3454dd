namespace Harbor.Agent.Updates;

/// <summary>Container labels the update path reads or writes, with what each one means.</summary>
internal static class HarborLabels
{
    /// <summary>
    /// <c>controller</c> or <c>agent</c> on Harbor's own containers (the packaged images set it). The agent
    /// refuses to update either: replacing the process that runs the job, or the one that records it,
    /// needs the self-update procedure of the packaging work.
    /// </summary>
    public const string Role = "harbor.role";

    /// <summary>
    /// An HTTP URL the agent probes after the new container is up; any 2xx or 3xx answer passes. Either a
    /// full URL (<c>http://127.0.0.1:8080/health</c>) or <c>:port/path</c>, which means the new container's
    /// own address on its first network.
    /// </summary>
    public const string VerifyHttp = "harbor.verify.http";

    /// <summary>Set by Docker Compose: the project and service a container belongs to.</summary>
    public const string ComposeProject = "com.docker.compose.project";

    /// <summary>
    /// Set by Docker Compose v2 to the image id the container was created from. Harbor sets it to the new
    /// image id, so a later <c>docker compose up</c> does not see a change and recreate the container again.
    /// </summary>
    public const string ComposeImage = "com.docker.compose.image";

    /// <summary>Set by Swarm on service tasks; Swarm owns those containers, so the agent refuses them.</summary>
    public const string SwarmService = "com.docker.swarm.service.id";
}
