namespace Harbor.Controller.Updates;

/// <summary>Filters and paging for <c>GET /api/v1/jobs</c>.</summary>
internal sealed record JobQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Only jobs on this host (agent id).</summary>
    public string? Host { get; init; }

    /// <summary>Only jobs for this container name (names survive updates; ids do not).</summary>
    public string? Container { get; init; }

    /// <summary>pending, sent, running or finished.</summary>
    public string? State { get; init; }

    /// <summary>succeeded, rolled_back, failed or refused.</summary>
    public string? Outcome { get; init; }

    /// <summary>update or rollback.</summary>
    public string? Kind { get; init; }

    /// <summary>1-based page number.</summary>
    public int? Page { get; init; }

    /// <summary>Items per page, 1-500 (default 50).</summary>
    public int? PageSize { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Check(errors, "state", State, UpdateMapper.States);
        Check(errors, "outcome", Outcome, UpdateMapper.Outcomes);
        Check(errors, "kind", Kind, UpdateMapper.Kinds);
        if (Page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }

        return errors;
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            errors[field] = [$"'{value}' is not a job {field}. Use one of: {string.Join(", ", allowed)}."];
        }
    }
}
