namespace Harbor.Controller.Security.Authorization;

/// <summary>401 answers as problem+json that say what to do (and, for a presented credential, why it was refused).</summary>
internal static class AuthenticationProblems
{
    public static Task WriteChallengeAsync(HttpContext context, string? failure)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"harbor\"";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication required",
            detail: failure ?? "Sign in (POST /api/v1/auth/login) or send an API key as 'Authorization: Bearer hbk_…'.")
            .ExecuteAsync(context);
    }
}
