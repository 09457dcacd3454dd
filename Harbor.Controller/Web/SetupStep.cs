namespace Harbor.Controller.Web;

/// <summary>The first-run wizard's steps after the first admin exists, in order.</summary>
public enum SetupStep
{
    /// <summary>Two-factor sign-in for the new admin (only when enable_mfa is on).</summary>
    Mfa,

    /// <summary>Connect the first agent with a fresh enrollment token.</summary>
    Agent,

    /// <summary>Optional registry credentials, with a test login.</summary>
    Registry,

    /// <summary>Default behaviour (notify / update automatically / ask for approval) and check schedule.</summary>
    Behaviour,

    /// <summary>Finished: the wizard is not shown again.</summary>
    Done,
}
