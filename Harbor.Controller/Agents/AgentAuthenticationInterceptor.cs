using Grpc.Core;
using Grpc.Core.Interceptors;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Security.Authorization;

namespace Harbor.Controller.Agents;

/// <summary>
/// Authenticates every gRPC call before any handler runs (registered for all services, so a gRPC
/// service added later is protected too), except the methods in <see cref="PublicEndpoints.GrpcMethods"/>.
/// The result is attached to the call so the hub can bind the stream to the authenticated agent.
/// </summary>
internal sealed class AgentAuthenticationInterceptor(IAgentAuthenticator authenticator, ILogger<AgentAuthenticationInterceptor> logger) : Interceptor
{
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        await continuation(request, responseStream, context);
    }

    private async Task AuthenticateAsync(ServerCallContext context)
    {
        if (PublicEndpoints.GrpcMethods.Contains(context.Method))
        {
            return;
        }

        var result = await authenticator.AuthenticateAsync(context);
        if (!result.Succeeded)
        {
            Log.AgentRejected(logger, context.Peer, result.Failure!);
            throw new RpcException(new Status(StatusCode.Unauthenticated, result.Failure!));
        }

        result.AttachTo(context);
    }
}
