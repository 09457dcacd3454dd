namespace Harbor.Controller.Web;

/// <summary>
/// The wizard's order and the texts it shows that follow from settings: which steps there are, what
/// comes next, and the command that starts the first agent.
/// </summary>
internal static class SetupFlow
{
    /// <summary>The steps a user goes through; the MFA step only when the enable_mfa flag is on.</summary>
    public static IReadOnlyList<SetupStep> Steps(bool mfaEnabled) =>
        mfaEnabled
            ? [SetupStep.Mfa, SetupStep.Agent, SetupStep.Registry, SetupStep.Behaviour, SetupStep.Done]
            : [SetupStep.Agent, SetupStep.Registry, SetupStep.Behaviour, SetupStep.Done];

    public static SetupStep First(bool mfaEnabled) => Steps(mfaEnabled)[0];

    /// <summary>The step after <paramref name="step"/>; Done stays Done.</summary>
    public static SetupStep Next(SetupStep step, bool mfaEnabled)
    {
        var steps = Steps(mfaEnabled);
        var index = steps.ToList().IndexOf(step);
        return index < 0 ? steps[0] : steps[Math.Min(index + 1, steps.Count - 1)];
    }

    /// <summary>A stored step name back to a step of this flow; unknown (or MFA once the flag is off) starts at the first step.</summary>
    public static SetupStep Parse(string? stored, bool mfaEnabled) =>
        Enum.TryParse<SetupStep>(stored, ignoreCase: true, out var step) && Steps(mfaEnabled).Contains(step) ? step : First(mfaEnabled);

    public static string Title(SetupStep step) => step switch
    {
        SetupStep.Mfa => "Two-factor sign-in",
        SetupStep.Agent => "Connect the first agent",
        SetupStep.Registry => "Registry credentials",
        SetupStep.Behaviour => "Default behaviour",
        _ => "Done",
    };

    /// <summary>
    /// The agent container's start command for one host (README "Run the agent container"): the controller's
    /// agent hub, the enrollment token, the Docker socket and a named volume for the agent's identity and
    /// journal. A hub on loopback is only reachable from this machine, so the container then shares the host's
    /// network; the host name is passed in because a container's own is a random id.
    /// </summary>
    public static string DockerRunCommand(Uri agentHub, string browserHost, string enrollmentToken, string image)
    {
        var hub = HubAddress(agentHub, browserHost);
        var network = IsLoopback(hub.Host) ? "  --network host \\\n" : "";
        return "docker run -d --name harbor-agent --restart unless-stopped \\\n" +
               network +
               "  -v /var/run/docker.sock:/var/run/docker.sock \\\n" +
               "  -v harbor-agent:/var/lib/harbor-agent \\\n" +
               $"  -e Harbor__Agent__ControllerUrl={hub.GetLeftPart(UriPartial.Authority)} \\\n" +
               $"  -e Harbor__Agent__EnrollmentToken={enrollmentToken} \\\n" +
               "  -e Harbor__Agent__HostName=\"$(hostname)\" \\\n" +
               $"  {image}";
    }

    /// <summary>The alternative for a checkout of Harbor with the .NET SDK, as the README starts an agent.</summary>
    public static string CheckoutCommand(Uri agentHub, string browserHost, string enrollmentToken) =>
        $"Harbor__Agent__ControllerUrl={HubAddress(agentHub, browserHost).GetLeftPart(UriPartial.Authority)} \\\n" +
        $"Harbor__Agent__EnrollmentToken={enrollmentToken} \\\n" +
        "dotnet run --project Harbor.Agent";

    /// <summary>The hub as agents reach it: a wildcard listen address is replaced by the host the browser reached the controller on.</summary>
    private static Uri HubAddress(Uri agentHub, string browserHost)
    {
        var host = agentHub.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? browserHost : agentHub.Host;
        return new UriBuilder(agentHub) { Host = host }.Uri;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
