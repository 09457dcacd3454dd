using System.Security.Claims;
using Harbor.Controller.Features;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Mfa;

/// <summary><c>/api/v1/auth/mfa</c>: TOTP enrolment and recovery codes for the signed-in user (feature flag <c>enable_mfa</c>).</summary>
internal static class MfaApi
{
    public static RouteGroupBuilder MapMfaApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth/mfa").WithTags("Authentication").RequirePermission(Permission.Account);
        group.MapPost("/", Begin).WithName("BeginMfaEnrolment")
            .WithSummary("Creates a TOTP secret: otpauth URI and QR code (SVG) for an authenticator app. Not active until confirmed.");
        group.MapPost("/confirm", Confirm).WithName("ConfirmMfaEnrolment")
            .WithSummary("Activates MFA with a first code from the app; returns recovery codes (shown once).");
        group.MapPost("/recovery-codes", Regenerate).WithName("RegenerateRecoveryCodes")
            .WithSummary("Replaces the recovery codes (needs a current TOTP code).");
        group.MapPost("/disable", Disable).WithName("DisableMfa").WithSummary("Turns MFA off (needs the password).");
        return group;
    }

    private static async Task<Results<Ok<MfaEnrolment>, ProblemHttpResult>> Begin(
        ClaimsPrincipal caller, FeatureFlags features, UserStore users, MfaService mfa, CancellationToken cancellationToken)
    {
        var (user, problem) = await UserOrProblemAsync(caller, features, users, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return user!.TotpEnabled != 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "MFA is already on", detail: "Disable it first to enrol a new authenticator.")
            : TypedResults.Ok(await mfa.BeginAsync(user, cancellationToken));
    }

    private static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> Confirm(
        MfaCodeRequest request, ClaimsPrincipal caller, FeatureFlags features, UserStore users, MfaService mfa, CancellationToken cancellationToken)
    {
        var (user, problem) = await UserOrProblemAsync(caller, features, users, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (user!.TotpEnabled != 0 || user.TotpSecret is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to confirm",
                detail: "Start enrolment first (POST /api/v1/auth/mfa), or MFA is already on.");
        }

        return await mfa.ConfirmAsync(user, request.Code, cancellationToken) is { } codes
            ? TypedResults.Ok(new RecoveryCodesResponse(codes))
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong code", detail: "The code does not match; check the phone's clock and try the next code.");
    }

    private static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> Regenerate(
        MfaCodeRequest request, ClaimsPrincipal caller, FeatureFlags features, UserStore users, MfaService mfa, CancellationToken cancellationToken)
    {
        var (user, problem) = await UserOrProblemAsync(caller, features, users, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (user!.TotpEnabled == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "MFA is off");
        }

        return await mfa.VerifyAsync(user, request.Code, cancellationToken)
            ? TypedResults.Ok(new RecoveryCodesResponse(await mfa.RegenerateRecoveryCodesAsync(user, cancellationToken)))
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Wrong code");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Disable(
        MfaDisableRequest request, ClaimsPrincipal caller, FeatureFlags features, UserStore users, PasswordHashing passwords, CancellationToken cancellationToken)
    {
        var (user, problem) = await UserOrProblemAsync(caller, features, users, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > PasswordPolicy.MaxLength
            || !passwords.Verify(user!.PasswordHash, request.Password, out _))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The password is wrong.");
        }

        await users.DisableTotpAsync(user.Id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<(UserRow? User, ProblemHttpResult? Problem)> UserOrProblemAsync(
        ClaimsPrincipal caller, FeatureFlags features, UserStore users, CancellationToken cancellationToken)
    {
        if (!features.MfaEnabled)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "MFA is not enabled",
                detail: $"Set {FeatureFlags.SectionName}:{FeatureFlags.Mfa}=true to use two-factor authentication."));
        }

        return caller.Kind() == HarborClaims.UserKind && await users.FindByIdAsync(caller.Id()!, cancellationToken) is { } user
            ? (user, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Only a signed-in user has MFA", detail: "API keys cannot enrol in MFA."));
    }
}
