using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Agents;

/// <summary>Checks a Hello before the controller trusts anything in it.</summary>
internal static class HelloValidator
{
    public const int MaxAgentIdLength = 64;

    /// <summary>Null when valid, else what is wrong.</summary>
    public static string? Validate(Hello hello)
    {
        if (string.IsNullOrEmpty(hello.AgentId))
        {
            return "Hello.agent_id is required.";
        }

        if (hello.AgentId.Length > MaxAgentIdLength
            || !hello.AgentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return $"Hello.agent_id must be 1-{MaxAgentIdLength} characters of letters, digits, '-', '_' or '.'.";
        }

        if (string.IsNullOrWhiteSpace(hello.HostName) || hello.HostName.Length > 253)
        {
            return "Hello.host_name is required (at most 253 characters).";
        }

        return null;
    }
}
