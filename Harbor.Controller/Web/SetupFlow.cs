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
    /// The agent's start command for one host, as the README starts an agent: the controller's agent hub
    /// (a wildcard listen address is replaced by the host the browser reached the controller on) and
    /// the enrollment token.
    /// </summary>
    public static string InstallCommand(Uri agentHub, string browserHost, string enrollmentToken)
    {
        var host = agentHub.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? browserHost : agentHub.Host;
        var hub = new UriBuilder(agentHub) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
        return $"Harbor__Agent__ControllerUrl={hub} \\\n" +
               $"Harbor__Agent__EnrollmentToken={enrollmentToken} \\\n" +
               "dotnet run --project Harbor.Agent";
    }
}
