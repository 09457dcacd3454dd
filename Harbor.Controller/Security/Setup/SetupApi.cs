using Harbor.Controller.Security.Login;
using Harbor.Controller.Security.Users;
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
        SetupRequest request,
        HttpContext context,
        FirstRunSetup setup,
        UserStore users,
        PasswordHashing passwords,
        PasswordPolicy policy,
        SignIn signIn,
        ILogger<FirstRunSetup> logger,
        CancellationToken cancellationToken)
    {
        var remoteIp = context.Connection.RemoteIpAddress?.ToString();
        if (!setup.Pending)
        {
            Log.SetupRejected(logger, remoteIp, "setup is already done");
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Setup is already done",
                detail: "The first admin exists. Sign in, or ask an admin for an account.");
        }

        var errors = new Dictionary<string, string[]>();
        if (UserNames.Check(request.UserName) is { } nameProblem)
        {
            errors["userName"] = [nameProblem];
        }
        else if (policy.Check(request.Password, request.UserName!) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The first admin cannot be created like this.");
        }

        // Validated first, spent second: a typo in the password does not burn the token.
        if (!setup.TrySpend(request.SetupToken))
        {
            Log.SetupRejected(logger, remoteIp, "wrong setup token");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The setup token is not valid",
                detail: "Use the token printed in the controller's log at start-up (event SetupTokenIssued). It works once.");
        }

        var user = await users.CreateFirstAdminAsync(request.UserName!, passwords.Hash(request.Password!), cancellationToken);
        if (user is null)
        {
            Log.SetupRejected(logger, remoteIp, "a user already exists");
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Setup is already done");
        }

        Log.SetupCompleted(logger, user.UserName, remoteIp);
        return TypedResults.Created("/api/v1/auth/me", await signIn.StartSessionAsync(context, user));
    }
}
