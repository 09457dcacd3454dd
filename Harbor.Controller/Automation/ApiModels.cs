namespace Harbor.Controller.Automation;

/// <summary>An update waiting for (or past) a user's decision.</summary>
internal sealed record ApprovalResponse(
    string Id,
    string HostId,
    string ContainerId,
    string ContainerName,
    string Image,
    string TargetDigest,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Comment,
    string? JobId)
{
    public static ApprovalResponse From(ApprovalRow row) => new(
        row.Id, row.HostId, row.ContainerId, row.ContainerName, row.Image, row.TargetDigest, row.State,
        Data.DbTime.Parse(row.CreatedAt), Data.DbTime.Parse(row.ExpiresAt), Data.DbTime.ParseOrNull(row.DecidedAt), row.DecidedBy, row.Comment, row.JobId);
}

/// <summary>Body of approve/reject (optional): a note kept with the decision.</summary>
internal sealed record ApprovalDecisionRequest(string? Comment = null);

/// <summary>The engine's last decision about a container: what it did or why it did not.</summary>
internal sealed record AutomationDecisionResponse(
    string HostId,
    string ContainerName,
    string ContainerId,
    string Digest,
    string Mode,
    string Action,
    string Reason,
    DateTimeOffset? NotBefore,
    DateTimeOffset DecidedAt,
    string? JobId)
{
    public static AutomationDecisionResponse From(DecisionRow row) => new(
        row.HostId, row.ContainerName, row.ContainerId, row.Digest, row.Mode, row.Action, row.Reason,
        Data.DbTime.ParseOrNull(row.NotBefore), Data.DbTime.Parse(row.DecidedAt), row.JobId);
}
