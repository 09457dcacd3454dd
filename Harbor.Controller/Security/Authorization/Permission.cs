namespace Harbor.Controller.Security.Authorization;

/// <summary>What a caller may do. Roles (people) and scopes (API keys) are sets of these.</summary>
internal enum Permission
{
    /// <summary>Read inventory, status, history, settings.</summary>
    Read,

    /// <summary>Start update checks.</summary>
    Check,

    /// <summary>Start updates and roll them back.</summary>
    Update,

    /// <summary>Approve updates that wait for approval.</summary>
    Approve,

    /// <summary>Call webhook endpoints (registry pushes) with an API key.</summary>
    Webhook,

    /// <summary>Manage one's own account: sessions, password, MFA, API keys.</summary>
    Account,

    /// <summary>Everything, including users, agents, audit and security settings.</summary>
    Admin,
}
