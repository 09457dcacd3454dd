using Grpc.Core;
using Grpc.Core.Interceptors;
using Harbor.Controller.Diagnostics;

namespace Harbor.Controller.Agents;

/// <summary>Rejects unauthenticated agent streams before any handler runs.</summary>
internal sealed class AgentAuthenticationInterceptor(IAgentAuthenticator authenticator, ILogger<AgentAuthenticationInterceptor> logger) : Interceptor
{
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        var failure = authenticator.Authenticate(context);
        if (failure is not null)
        {
            Log.AgentRejected(logger, context.Peer, failure);
            ControllerMetrics.AgentStreamsRejected.WithLabels("unauthenticated").Inc();
            throw new RpcException(new Status(StatusCode.Unauthenticated, failure));
        }
    }
}
