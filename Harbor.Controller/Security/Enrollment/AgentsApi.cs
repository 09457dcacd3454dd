using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Enrollment;

/// <summary><c>/api/v1/agents</c>: enrollment tokens, enrolled agent identities, revocation, the CA.</summary>
internal static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/agents").WithTags("Agents");
        group.MapGet("/", ListAgents).WithName("ListEnrolledAgents").RequirePermission(Permission.Admin)
            .WithSummary("Every enrolled agent identity, active or revoked, and whether it is connected.");
        group.MapPost("/{agentId}/revoke", RevokeAgent).WithName("RevokeAgent").RequirePermission(Permission.Admin)
            .WithSummary("Revokes the agent's credential: its stream ends now and it cannot reconnect until enrolled again.");
        group.MapGet("/ca", GetCa).WithName("GetAgentCa").RequirePermission(Permission.Read)
            .WithSummary("The controller's agent CA certificate and its SHA-256 fingerprint.");
        group.MapGet("/enrollment-tokens", ListTokens).WithName("ListEnrollmentTokens").RequirePermission(Permission.Admin)
            .WithSummary("Enrollment tokens (never their secrets) and whether each is pending, used, expired or revoked.");
        group.MapPost("/enrollment-tokens", CreateToken).WithName("CreateEnrollmentToken").RequirePermission(Permission.Admin)
            .WithSummary("Creates a single-use enrollment token for one new agent (Harbor:Agent:EnrollmentToken). The token is in this answer only.");
        group.MapDelete("/enrollment-tokens/{tokenId}", RevokeTokenAsCaller).WithName("RevokeEnrollmentToken").RequirePermission(Permission.Admin)
            .WithSummary("Revokes an unused enrollment token.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<EnrolledAgentResponse>>> ListAgents(AgentEnrollment enrollment, CancellationToken cancellationToken) =>
        TypedResults.Ok(await enrollment.ListAgentsAsync(cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAgent(
        string agentId, ClaimsPrincipal caller, AgentEnrollment enrollment, CancellationToken cancellationToken) =>
        await enrollment.RevokeAgentAsync(agentId, KindAndName(caller), cancellationToken) > 0
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No active agent credential",
                detail: $"Agent '{agentId}' has no credential that is not revoked already.");

    private static Ok<AgentCaResponse> GetCa(AgentCertificateAuthority ca) =>
        TypedResults.Ok(new AgentCaResponse(ca.Fingerprint, ca.Certificate.ExportCertificatePem()));

    private static async Task<Ok<IReadOnlyList<EnrollmentTokenResponse>>> ListTokens(AgentEnrollment enrollment, CancellationToken cancellationToken) =>
        TypedResults.Ok(await enrollment.ListTokensAsync(cancellationToken));

    private static async Task<Results<Created<CreatedEnrollmentToken>, ValidationProblem>> CreateToken(
        CreateEnrollmentTokenRequest? request, ClaimsPrincipal caller, AgentEnrollment enrollment, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Description is { Length: > 200 })
        {
            errors["description"] = ["description is at most 200 characters."];
        }

        if (request?.ExpiresInHours is < 0.05 or > 24 * 30)
        {
            errors["expiresInHours"] = ["expiresInHours must be 0.05-720."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await enrollment.CreateTokenAsync(
            request?.Description,
            request?.ExpiresInHours is { } hours ? TimeSpan.FromHours(hours) : null,
            caller.FindFirstValue(ClaimTypes.Name),
            cancellationToken);
        return TypedResults.Created($"/api/v1/agents/enrollment-tokens/{created.Id}", created);
    }

    private static Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsCaller(
        string tokenId, ClaimsPrincipal caller, AgentEnrollment enrollment, CancellationToken cancellationToken) =>
        RevokeToken(tokenId, KindAndName(caller), enrollment, cancellationToken);

    /// <summary>
    /// Also called in-process by the Hosts page, so both answer with the same rule and words.
    /// <paramref name="revokedBy"/> is the caller as <c>kind:name</c>, stored on the token.
    /// </summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(
        string tokenId, string revokedBy, AgentEnrollment enrollment, CancellationToken cancellationToken) =>
        await enrollment.RevokeTokenAsync(tokenId, revokedBy, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No pending enrollment token", detail: $"Token '{tokenId}' does not exist, or was used or revoked.");

    /// <summary>The caller as stored in a <c>revoked_by</c> column, <c>user:admin</c> or <c>api_key:ci</c> (read back with <c>Display.Caller</c>).</summary>
    private static string KindAndName(ClaimsPrincipal caller) => $"{caller.Kind()}:{caller.FindFirstValue(ClaimTypes.Name)}";
}
