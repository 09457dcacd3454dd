namespace Harbor.Controller.Security.Setup;

internal sealed record SetupStatusResponse(bool SetupRequired);

internal sealed record SetupRequest(string? SetupToken, string? UserName, string? Password);
