using System.Net;
using System.Text;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Harbor.Controller.Security.Authorization;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Security;

/// <summary>
/// Every endpoint in the routing table refuses an anonymous caller, except the short public list.
/// The endpoints are read from the running controller, so one added later is covered automatically.
/// </summary>
public sealed class EndpointSecurityTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("endpoints");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path);

    [Fact]
    public async Task EveryHttpEndpoint_ExceptThePublicList_RejectsAnAnonymousCall()
    {
        var endpoints = RoutingTable.HttpRoutes(controller.Services);
        Assert.True(endpoints.Count > 20, "the routing table should hold the whole API");

        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            using var request = endpoint.NewRequest();
            using var response = await controller.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            // A UI page answers a browser without a session by sending it to the sign-in page.
            var sentToSignIn = response.RequestMessage?.RequestUri?.AbsolutePath == "/login" && endpoint.Route != "/login";
            var refused = response.StatusCode == HttpStatusCode.Unauthorized || sentToSignIn;
            if (refused == endpoint.IsPublic)
            {
                failures.Add($"{endpoint.Method} {endpoint.Route}: {(int)response.StatusCode} ({(endpoint.IsPublic ? "public, but refused" : "not public, but answered")})");
            }

            if (refused && !sentToSignIn)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void EveryPublicEntry_IsARealEndpoint()
    {
        var mapped = RoutingTable.HttpRoutes(controller.Services).Where(e => e.IsPublic).Select(e => (e.Method, e.Route)).ToHashSet();

        foreach (var entry in PublicEndpoints.Http)
        {
            Assert.Contains(entry, mapped);
        }
    }

    [Fact]
    public async Task EveryGrpcMethod_ExceptThePublicOnes_RejectsACallWithoutAgentCertificate()
    {
        var methods = controller.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .Select(m => m.Method.FullName)
            .Distinct()
            .ToList();
        Assert.Contains("/harbor.agent.v1.AgentHub/Connect", methods);

        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            (await controller.GetJsonAsync<System.Text.Json.JsonElement>("/api/v1/agents/ca")).GetProperty("certificatePem").GetString());
        using var channel = TestAgentCredential.CreateChannel(controller.AgentHubAddress, null, ca);
        var client = new AgentHub.AgentHubClient(channel);
        foreach (var method in methods)
        {
            var status = await CallAsync(client, method);
            if (PublicEndpoints.GrpcMethods.Contains(method))
            {
                Assert.NotEqual(StatusCode.Unauthenticated, status.StatusCode);
            }
            else
            {
                Assert.True(status.StatusCode == StatusCode.Unauthenticated, $"{method}: {status}");
            }
        }
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders()
    {
        using var response = await controller.Anonymous.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Theory]
    [InlineData("{\"userName\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"userName\": 42, \"password\": {}}")]
    public async Task MalformedJson_IsProblemJson400_NeverA500(string body)
    {
        using var response = await controller.Anonymous.PostAsync(
            "/api/v1/auth/login", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWith413()
    {
        var body = "{\"userName\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        using var response = await controller.Anonymous.PostAsync(
            "/api/v1/auth/login", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private static async Task<Status> CallAsync(AgentHub.AgentHubClient client, string method)
    {
        try
        {
            switch (method)
            {
                case "/harbor.agent.v1.AgentHub/Connect":
                    using (var call = client.Connect())
                    {
                        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = "anonymous", HostName = "h" } });
                        await call.ResponseStream.MoveNext(CancellationToken.None);
                        return call.GetStatus();
                    }

                case "/harbor.agent.v1.AgentHub/Enroll":
                    await client.EnrollAsync(new EnrollRequest());
                    return Status.DefaultSuccess;
                case "/harbor.agent.v1.AgentHub/GetCertificateAuthority":
                    await client.GetCertificateAuthorityAsync(new GetCertificateAuthorityRequest());
                    return Status.DefaultSuccess;
                default:
                    throw new InvalidOperationException($"A new gRPC method {method}: add a call for it here.");
            }
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
