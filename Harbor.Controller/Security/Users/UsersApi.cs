using System.Security.Claims;
using Harbor.Controller.Agents;
using Harbor.Controller.Inventory;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Security.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Security.Users;

/// <summary><c>/api/v1/users</c> and <c>/api/v1/host-groups</c>: people and what they may reach (admins only).</summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users").WithTags("Users").RequirePermission(Permission.Admin);
        group.MapGet("/", ListUsers).WithName("ListUsers").WithSummary("Every user.");
        group.MapGet("/{userId}", GetUser).WithName("GetUser").WithSummary("One user.");
        group.MapPost("/", CreateUser).WithName("CreateUser").WithSummary("Creates a user with a role (admin, operator, viewer) and optional host groups.");
        group.MapPatch("/{userId}", UpdateUser).WithName("UpdateUser").WithSummary("Changes role, host groups or disables the user (their sessions end).");
        group.MapDelete("/{userId}", DeleteUser).WithName("DeleteUser").WithSummary("Deletes the user with their sessions and API keys.");
        group.MapPost("/{userId}/password", ResetPassword).WithName("ResetUserPassword").WithSummary("Sets a new password; the user's sessions end.");
        group.MapDelete("/{userId}/mfa", ResetMfa).WithName("ResetUserMfa").WithSummary("Turns MFA off for a user who lost their authenticator and recovery codes.");

        var groups = routes.MapGroup("/api/v1/host-groups").WithTags("Users").RequirePermission(Permission.Admin);
        groups.MapGet("/", ListHostGroups).WithName("ListHostGroups").WithSummary("Host groups that RBAC can limit users to.");
        groups.MapPut("/{groupName}", SetHostGroup).WithName("SetHostGroupMembers").WithSummary("Makes exactly these hosts the group's members (an empty list empties it).");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<UserResponse>>> ListUsers(UserStore users, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<UserResponse>>([.. (await users.ListAsync(cancellationToken)).Select(UserStore.ToResponse)]);

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(string userId, UserStore users, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(userId, cancellationToken) is { } user ? TypedResults.Ok(UserStore.ToResponse(user)) : NotFound(userId);

    internal static async Task<Results<Created<UserResponse>, ProblemHttpResult, ValidationProblem>> CreateUser(
        CreateUserRequest request, UserStore users, PasswordHashing passwords, PasswordPolicy policy, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (UserNames.Check(request.UserName) is { } nameProblem)
        {
            errors["userName"] = [nameProblem];
        }
        else if (policy.Check(request.Password, request.UserName!) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        var role = request.Role ?? Roles.Viewer;
        if (!Roles.IsKnown(role))
        {
            errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        }

        if (CheckGroups(request.HostGroups) is { } groupProblem)
        {
            errors["hostGroups"] = [groupProblem];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The user cannot be created like this.");
        }

        var created = await users.CreateAsync(request.UserName!, passwords.Hash(request.Password!), role, NullIfEmpty(request.HostGroups), cancellationToken);
        return created is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "User name taken", detail: $"A user named '{request.UserName}' exists.")
            : TypedResults.Created($"/api/v1/users/{created.Id}", UserStore.ToResponse(created));
    }

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult, ValidationProblem>> UpdateUser(
        string userId, UpdateUserRequest request, UserStore users, SessionStore sessions, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is not { } user)
        {
            return NotFound(userId);
        }

        var errors = new Dictionary<string, string[]>();
        if (request.Role is not null && !Roles.IsKnown(request.Role))
        {
            errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        }

        if (CheckGroups(request.HostGroups) is { } groupProblem)
        {
            errors["hostGroups"] = [groupProblem];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The user cannot be changed like this.");
        }

        var groups = request.HostGroups is null ? UserStore.ParseGroups(user.HostGroups) : NullIfEmpty(request.HostGroups);
        var disabled = request.Disabled ?? user.Disabled != 0;
        if (!await users.UpdateAsync(userId, request.Role ?? user.Role, groups, disabled, cancellationToken))
        {
            return LastAdmin();
        }

        if (disabled)
        {
            await sessions.RevokeAllAsync(userId, caller.Id()!, null, cancellationToken);
        }

        return TypedResults.Ok(UserStore.ToResponse((await users.FindByIdAsync(userId, cancellationToken))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(string userId, UserStore users, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is null)
        {
            return NotFound(userId);
        }

        return await users.DeleteAsync(userId, cancellationToken) ? TypedResults.NoContent() : LastAdmin();
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ResetPassword(
        string userId, ResetPasswordRequest request, UserStore users, PasswordHashing passwords, PasswordPolicy policy, SessionStore sessions,
        ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is not { } user)
        {
            return NotFound(userId);
        }

        if (policy.Check(request.NewPassword, user.UserName) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = [problem] });
        }

        await users.SetPasswordHashAsync(userId, passwords.Hash(request.NewPassword!), cancellationToken);
        await sessions.RevokeAllAsync(userId, caller.Id()!, null, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetMfa(string userId, UserStore users, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is null)
        {
            return NotFound(userId);
        }

        await users.DisableTotpAsync(userId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<HostGroupMembers>>> ListHostGroups(HostGroups groups, CancellationToken cancellationToken) =>
        TypedResults.Ok(await groups.ListAsync(cancellationToken));

    private static async Task<Results<Ok<HostGroupMembers>, ValidationProblem>> SetHostGroup(
        string groupName, HostGroupMembersRequest request, HostGroups groups, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (CheckGroups([groupName]) is { } nameProblem)
        {
            errors["groupName"] = [nameProblem];
        }

        var hostIds = request.HostIds ?? [];
        if (hostIds.Count > 10_000 || hostIds.Any(h => string.IsNullOrEmpty(h) || h.Length > HelloValidator.MaxAgentIdLength))
        {
            errors["hostIds"] = ["hostIds must be host (agent) ids, at most 10000."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await groups.SetMembersAsync(groupName, hostIds, cancellationToken) is { Count: > 0 } unknown)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["hostIds"] = [$"No agent with these ids has ever connected: {string.Join(", ", unknown)}. A host joins a group after its first connection."],
            });
        }

        return TypedResults.Ok(new HostGroupMembers(groupName, [.. hostIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]));
    }

    private static string? CheckGroups(List<string>? groups) =>
        groups is not null && (groups.Count > 100 || groups.Any(g => UserNames.Check(g) is not null))
            ? "Host group names are 1-64 characters of letters, digits, '.', '_', '-' or '@' (at most 100 groups)."
            : null;

    private static List<string>? NullIfEmpty(List<string>? groups) => groups is { Count: > 0 } ? groups : null;

    private static ProblemHttpResult NotFound(string userId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user with id '{userId}'.");

    private static ProblemHttpResult LastAdmin() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "At least one admin must remain",
            detail: "This would leave no enabled admin. Make another user an admin first.");
}
