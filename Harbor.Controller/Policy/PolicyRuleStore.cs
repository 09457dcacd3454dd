using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Policy;

/// <summary>Policy rules in SQLite.</summary>
internal sealed class PolicyRuleStore(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    private sealed record RuleRow(long Id, string Name, string ScopeKind, string? ScopeValue, long Priority, string Settings, string CreatedAt);

    public async Task<IReadOnlyList<PolicyRule>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition(
            "SELECT id, name, scope_kind, scope_value, priority, settings, created_at FROM policy_rules ORDER BY id", cancellationToken: cancellationToken));
        return [.. rows.Select(ToRule)];
    }

    public async Task<PolicyRule?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RuleRow>(new CommandDefinition(
            "SELECT id, name, scope_kind, scope_value, priority, settings, created_at FROM policy_rules WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToRule(row);
    }

    public async Task<PolicyRule> CreateAsync(PolicyRuleDraft draft, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await using var connection = await connections.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO policy_rules (name, scope_kind, scope_value, priority, settings, created_at, updated_at)
            VALUES (@Name, @ScopeKind, @ScopeValue, @Priority, @Settings, @Now, @Now)
            RETURNING id
            """,
            Parameters(draft, now),
            cancellationToken: cancellationToken));
        return (await GetAsync(id, cancellationToken))!;
    }

    public async Task<PolicyRule?> UpdateAsync(long id, PolicyRuleDraft draft, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE policy_rules SET name = @Name, scope_kind = @ScopeKind, scope_value = @ScopeValue,
                priority = @Priority, settings = @Settings, updated_at = @Now
            WHERE id = @Id
            """,
            new { Id = id, draft.Name, ScopeKind = ScopeName(draft.Scope.Kind), ScopeValue = draft.Scope.Value, draft.Priority, Settings = JsonSerializer.Serialize(draft.Settings), Now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
        return changed == 0 ? null : await GetAsync(id, cancellationToken);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM policy_rules WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    public static string ScopeName(RuleScopeKind kind) => kind switch
    {
        RuleScopeKind.Global => "global",
        RuleScopeKind.HostGroup => "hostGroup",
        RuleScopeKind.Host => "host",
        RuleScopeKind.ComposeProject => "composeProject",
        RuleScopeKind.Image => "image",
        _ => "container",
    };

    public static bool TryParseScope(string? text, out RuleScopeKind kind)
    {
        foreach (var candidate in Enum.GetValues<RuleScopeKind>())
        {
            if (string.Equals(ScopeName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = RuleScopeKind.Global;
        return false;
    }

    private static object Parameters(PolicyRuleDraft draft, string now) => new
    {
        draft.Name,
        ScopeKind = ScopeName(draft.Scope.Kind),
        ScopeValue = draft.Scope.Value,
        draft.Priority,
        Settings = JsonSerializer.Serialize(draft.Settings),
        Now = now,
    };

    private static PolicyRule ToRule(RuleRow row)
    {
        if (!TryParseScope(row.ScopeKind, out var kind))
        {
            throw new InvalidOperationException($"Policy rule #{row.Id} has an unknown scope '{row.ScopeKind}' in the database.");
        }

        return new PolicyRule(
            row.Id,
            row.Name,
            new RuleScope(kind, row.ScopeValue),
            (int)row.Priority,
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.Settings) ?? [],
            DbTime.Parse(row.CreatedAt));
    }
}

/// <summary>A rule as submitted, before it has an id.</summary>
internal sealed record PolicyRuleDraft(string Name, RuleScope Scope, int Priority, IReadOnlyDictionary<string, string> Settings);
