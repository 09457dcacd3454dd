using Microsoft.AspNetCore.Components.Authorization;

namespace Harbor.Controller.Web;

/// <summary>Who is using the UI, for "requested by" on jobs and checks (as the API records it).</summary>
internal static class UiUser
{
    public static async Task<string> NameAsync(AuthenticationStateProvider authentication)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
    }
}
