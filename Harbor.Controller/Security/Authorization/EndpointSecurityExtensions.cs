namespace Harbor.Controller.Security.Authorization;

internal static class EndpointSecurityExtensions
{
    /// <summary>
    /// Declares what a caller needs for this endpoint. Without it the fallback policy asks for
    /// <see cref="Permission.Read"/> on GET/HEAD and <see cref="Permission.Admin"/> on everything else.
    /// </summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredPermission(permission));
}
