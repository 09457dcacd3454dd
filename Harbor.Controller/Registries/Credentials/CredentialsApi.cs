using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Registries.Credentials;

/// <summary><c>/api/v1/registries/credentials</c>: credentials the controller uses to check registries. Secrets go in, never out.</summary>
internal static class CredentialsApi
{
    public static RouteGroupBuilder MapCredentialsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/registries/credentials").WithTags("Registry credentials");
        group.MapGet("/", List).WithName("ListRegistryCredentials").WithSummary("Every stored registry credential, without secrets.");
        group.MapGet("/{id}", Get).WithName("GetRegistryCredential").WithSummary("One credential, without its secret.");
        group.MapPost("/", Create).WithName("CreateRegistryCredential").WithSummary("Stores a username and secret for a registry (one per registry).");
        group.MapPut("/{id}", Update).WithName("UpdateRegistryCredential").WithSummary("Changes the username and/or secret.");
        group.MapDelete("/{id}", Delete).WithName("DeleteRegistryCredential").WithSummary("Forgets a credential; the registry is used anonymously again.");
        group.MapPost("/{id}/test", Test).WithName("TestRegistryCredential").WithSummary("Logs in to the registry with the stored credential, as docker login would.");
        group.MapPost("/import", Import).WithName("ImportRegistryCredentials")
            .WithSummary("Imports credentials from a Docker config.json (inline or a path on the controller), including credential helpers.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<CredentialResponse>>> List(CredentialService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ListAsync(cancellationToken));

    private static async Task<Results<Ok<CredentialResponse>, ProblemHttpResult>> Get(string id, CredentialService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } credential ? TypedResults.Ok(credential) : NotFound(id);

    private static async Task<Results<Created<CredentialResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateCredentialRequest request, CredentialService service, CancellationToken cancellationToken)
    {
        var errors = CredentialService.Validate(request, out var registry);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The credential is not valid.");
        }

        var created = await service.CreateAsync(registry!, request, cancellationToken);
        return created is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Registry already has a credential",
                detail: $"{registry} already has a credential; change it with PUT /api/v1/registries/credentials/{{id}} or delete it first.")
            : TypedResults.Created($"/api/v1/registries/credentials/{created.Id}", created);
    }

    private static async Task<Results<Ok<CredentialResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string id, UpdateCredentialRequest request, CredentialService service, CancellationToken cancellationToken)
    {
        var errors = CredentialService.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The change is not valid.");
        }

        return await service.UpdateAsync(id, request, cancellationToken) is { } updated ? TypedResults.Ok(updated) : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, CredentialService service, CancellationToken cancellationToken) =>
        await service.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<LoginTestResponse>, ProblemHttpResult>> Test(string id, CredentialService service, CancellationToken cancellationToken) =>
        await service.TestAsync(id, cancellationToken) is { } result ? TypedResults.Ok(result) : NotFound(id);

    private static async Task<Results<Ok<ImportCredentialsResponse>, ProblemHttpResult>> Import(
        ImportCredentialsRequest request, CredentialService service, CancellationToken cancellationToken)
    {
        var (response, problem) = await service.ImportAsync(request, cancellationToken);
        return response is not null
            ? TypedResults.Ok(response)
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Nothing to import", detail: problem);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Credential not found", detail: $"There is no registry credential with id '{id}'.");
}
