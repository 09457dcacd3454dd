namespace Harbor.Controller.Automation;

/// <summary>A row of approvals.</summary>
internal sealed class ApprovalRow
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> States = [Pending, Approved, Rejected, Expired];

    public string Id { get; init; } = "";

    public string HostId { get; init; } = "";

    public string ContainerId { get; init; } = "";

    public string ContainerName { get; init; } = "";

    public string Image { get; init; } = "";

    public string TargetDigest { get; init; } = "";

    public string State { get; init; } = Pending;

    public string CreatedAt { get; init; } = "";

    public string ExpiresAt { get; init; } = "";

    public string? DecidedAt { get; init; }

    public string? DecidedBy { get; init; }

    public string? Comment { get; init; }

    public string? JobId { get; init; }
}
