namespace Harbor.Agent.Connection;

/// <summary>Creates a fresh <see cref="AgentSession"/> (and its per-stream state) for each connection attempt.</summary>
internal sealed class AgentSessionFactory(IServiceProvider services)
{
    public AgentSession Create() => ActivatorUtilities.CreateInstance<AgentSession>(services);
}
