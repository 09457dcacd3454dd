using Microsoft.AspNetCore.Authorization;

namespace Harbor.Controller.Security.Authorization;

/// <summary>The single requirement behind every Harbor endpoint (the fallback and default policy).</summary>
internal sealed class HarborAccessRequirement : IAuthorizationRequirement
{
    public const string PolicyName = "harbor";
}
