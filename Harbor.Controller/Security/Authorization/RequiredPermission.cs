namespace Harbor.Controller.Security.Authorization;

/// <summary>Endpoint metadata: the permission a caller needs. Endpoints without it get <see cref="HarborAccessHandler.DefaultFor"/>.</summary>
internal sealed record RequiredPermission(Permission Permission);
