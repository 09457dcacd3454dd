var builder = DistributedApplication.CreateBuilder(args);

// The shared agent token, generated per run (the security work replaces it with per-agent enrollment).
var agentToken = builder.AddParameter(
    "agent-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var controller = builder.AddProject<Projects.Harbor_Controller>("controller")
    // The agent hub listens on its own HTTP/2 port (see ControllerListeners); env keeps it out of ASPNETCORE_URLS.
    .WithHttpEndpoint(name: "agents", env: "Harbor__Controller__Agents__ListenPort")
    .WithEnvironment("Harbor__Controller__Agents__Token", agentToken)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Harbor_Agent>("agent")
    .WithReference(controller)
    // Resolved by service discovery from services__controller__agents__0.
    .WithEnvironment("Harbor__Agent__ControllerUrl", "http://_agents.controller")
    .WithEnvironment("Harbor__Agent__Token", agentToken)
    .WaitFor(controller)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
