using System.Security.Claims;
using Harbor.Controller.Security.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Harbor.Controller.Web;

/// <summary>
/// The UI's permission checks, the same the API makes (role/scope permissions, host-group limits).
/// Pages hide what the user may not do; each action checks again on the server before it calls a
/// service, because a hidden button is not a refusal.
/// </summary>
internal sealed class UiAccess(AuthenticationStateProvider authentication, HostAccess hosts)
{
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<bool> CanAsync(Permission permission) => HarborAccessHandler.Holds(await UserAsync(), permission);

    /// <summary>Null when allowed; otherwise the message the page shows.</summary>
    public async Task<ActionResult?> RefusalAsync(Permission permission, string? hostId = null)
    {
        var user = await UserAsync();
        if (!HarborAccessHandler.Holds(user, permission))
        {
            return new ActionResult(false, "Not allowed", $"This needs the '{permission}' permission; ask an admin for the operator role.");
        }

        return hostId is not null && !await hosts.CanAccessAsync(user, hostId, CancellationToken.None)
            ? new ActionResult(false, "Not allowed", $"Host '{hostId}' is outside your host groups.")
            : null;
    }

    /// <summary>The hosts the user may see; null for every host.</summary>
    public async Task<IReadOnlySet<string>?> VisibleHostsAsync() => await hosts.VisibleHostsAsync(await UserAsync(), CancellationToken.None);

    /// <summary>The name recorded as "requested by" on jobs (as the API records it).</summary>
    public async Task<string> NameAsync() =>
        (await UserAsync()).Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
