using System.Text.Json.Nodes;

namespace Harbor.Agent.Updates;

/// <summary>
/// What it takes to create the new container with the old one's settings: the create request, the
/// networks to connect before it starts (engines before API 1.44 take one network at create), and
/// notes for the job's log about anything the user should know.
/// </summary>
internal sealed record RecreatePlan(
    JsonObject CreateBody,
    IReadOnlyList<NetworkConnection> ConnectBeforeStart,
    IReadOnlyList<string> Notes);

/// <summary>One extra network to connect the new container to, with its endpoint settings.</summary>
internal sealed record NetworkConnection(string Network, JsonObject Endpoint);
