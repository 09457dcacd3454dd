using Harbor.Controller.Security.Login;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Setup;

/// <summary><c>/api/v1/setup</c>: first run. Creates the first admin with the one-time token from the controller's log.</summary>
internal static class SetupApi
{
    public static RouteGroupBuilder MapSetupApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/setup").WithTags("Setup");
        group.MapGet("/", GetStatus).WithName("GetSetupStatus").WithSummary("Whether the first admin still has to be created.");
        group.MapPost("/", CompleteSetup).WithName("CompleteSetup")
            .WithSummary("Creates the first admin with the setup token printed in the controller's log, and signs them in.");
        return group;
    }

    private static Ok<SetupStatusResponse> GetStatus(FirstRunSetup setup) => TypedResults.Ok(new SetupStatusResponse(setup.Pending));

    private static async Task<Results<Created<SignInResponse>, ProblemHttpResult, ValidationProblem>> CompleteSetup(
        SetupRequest request, HttpContext context, FirstAdminCreation creation, SignIn signIn, CancellationToken cancellationToken)
    {
        var outcome = await creation.CreateAsync(request.SetupToken, request.UserName, request.Password, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (outcome.User is { } user)
        {
            return TypedResults.Created("/api/v1/auth/me", await signIn.StartSessionAsync(context, user));
        }

        return outcome.Errors.Count > 0
            ? TypedResults.ValidationProblem(outcome.Errors, title: outcome.Title)
            : TypedResults.Problem(statusCode: outcome.Status, title: outcome.Title, detail: outcome.Detail);
    }
}
