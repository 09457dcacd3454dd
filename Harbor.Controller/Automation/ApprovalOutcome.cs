namespace Harbor.Controller.Automation;

/// <summary>The answer to approve/reject: the approval, or the problem (status, title, detail) that stopped it.</summary>
internal sealed record ApprovalOutcome(ApprovalResponse? Approval, int Status, string? Title, string? Detail)
{
    public static ApprovalOutcome Done(ApprovalRow row) => new(ApprovalResponse.From(row), StatusCodes.Status200OK, null, null);

    public static ApprovalOutcome Problem(int status, string title, string detail) => new(null, status, title, detail);
}
