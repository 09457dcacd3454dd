var builder = DistributedApplication.CreateBuilder(args);

// Development mode: the agent authenticates with a shared token generated per run, over plain HTTP/2,
// so `dotnet run --project Harbor.AppHost` needs no enrollment step. Outside development agents enroll
// and use TLS with the controller's own CA (docs/security.md); the controller refuses a DevToken unless
// ASPNETCORE_ENVIRONMENT=Development, which the projects' launch profiles set here.
var agentToken = builder.AddParameter(
    "agent-dev-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var controller = builder.AddProject<Projects.Harbor_Controller>("controller")
    // The agent hub listens on its own HTTP/2 port (see ControllerListeners); env keeps it out of ASPNETCORE_URLS.
    .WithHttpEndpoint(name: "agents", env: "Harbor__Controller__Agents__ListenPort")
    .WithEnvironment("Harbor__Controller__Agents__DevToken", agentToken)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Harbor_Agent>("agent")
    .WithReference(controller)
    // Resolved by service discovery from services__controller__agents__0.
    .WithEnvironment("Harbor__Agent__ControllerUrl", "http://_agents.controller")
    .WithEnvironment("Harbor__Agent__DevToken", agentToken)
    .WaitFor(controller)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
