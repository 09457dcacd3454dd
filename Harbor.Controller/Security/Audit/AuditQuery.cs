namespace Harbor.Controller.Security.Audit;

/// <summary>Query string of <c>GET /api/v1/audit</c>.</summary>
internal sealed record AuditQuery
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>Actor id or name (user name, API key name, agent id).</summary>
    public string? Actor { get; init; }

    /// <summary>Exact action, e.g. <c>CreateApiKey</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Part of the target (route values such as <c>hostId=… id=…</c>), matched anywhere in it.</summary>
    public string? Target { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>Events before this moment (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }

    public int? Page { get; init; }

    public int? PageSize { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be 1-{MaxPageSize}."];
        }

        if (Since is { } since && Until is { } until && until <= since)
        {
            errors["until"] = ["until must be after since."];
        }

        if (Target is { Length: > 512 } || Actor is { Length: > 512 } || Action is { Length: > 512 })
        {
            errors["filter"] = ["actor, action and target are at most 512 characters."];
        }

        return errors;
    }
}
