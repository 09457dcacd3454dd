using Grpc.AspNetCore.Server;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Security;

/// <summary>The running controller's HTTP endpoints, read from its routing table (so new ones are included).</summary>
internal static class RoutingTable
{
    public sealed record HttpRoute(string Method, string Route, bool IsPublic, Permission Required)
    {
        /// <summary>A request with plausible values for the route parameters (and an empty JSON body for writes).</summary>
        public HttpRequestMessage NewRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), System.Text.RegularExpressions.Regex.Replace(Route, @"\{\*{0,2}([^}:=?]+)[^}]*\}", "x-$1"));
            if (Method is "POST" or "PUT" or "PATCH" or "DELETE")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            return request;
        }
    }

    public static IReadOnlyList<HttpRoute> HttpRoutes(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<GrpcMethodMetadata>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new HttpRoute(
                method,
                PublicEndpoints.Normalize(e.RoutePattern),
                PublicEndpoints.IsPublic(e, method) || Harbor.Controller.Web.WebPublicEndpoints.IsPublic(e),
                e.Metadata.GetMetadata<RequiredPermission>()?.Permission ?? HarborAccessHandler.DefaultFor(method)))),
    ];
}
