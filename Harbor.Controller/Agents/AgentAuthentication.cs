using Grpc.Core;

namespace Harbor.Controller.Agents;

/// <summary>
/// Who a stream was authenticated as. <see cref="AgentId"/> is the identity the stream is bound to
/// (Hello.agent_id must equal it); null only in development mode, where the shared token names no agent.
/// </summary>
internal sealed record AgentAuthentication(bool Succeeded, string? AgentId, string? Failure)
{
    private const string UserStateKey = "harbor.agent-authentication";

    public static AgentAuthentication As(string agentId) => new(true, agentId, null);

    public static AgentAuthentication AnyAgent { get; } = new(true, null, null);

    public static AgentAuthentication Refused(string failure) => new(false, null, failure);

    public void AttachTo(ServerCallContext context) => context.UserState[UserStateKey] = this;

    /// <summary>What the interceptor found for this call; a call that reached a handler always has one.</summary>
    public static AgentAuthentication Of(ServerCallContext context) =>
        context.UserState.TryGetValue(UserStateKey, out var value) && value is AgentAuthentication authentication
            ? authentication
            : throw new InvalidOperationException("The call was not authenticated by AgentAuthenticationInterceptor.");
}
