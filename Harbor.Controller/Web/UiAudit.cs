using Harbor.Controller.Security.Audit;
using Harbor.Controller.Security.Authorization;

namespace Harbor.Controller.Web;

/// <summary>
/// Records the UI's changes in the audit trail. The API's changes are recorded by the audit
/// middleware per HTTP request; a page's button runs inside the live connection, which that
/// middleware never sees, so each page action records itself under the API endpoint's action name
/// (CreateApiKey, DeleteRegistryCredential, …) with detail "web ui".
/// </summary>
internal sealed class UiAudit(AuditLog audit, UiAccess access)
{
    public async Task RecordAsync(string action, string? target, bool succeeded, string? detail = null)
    {
        var user = await access.UserAsync();
        var kind = user.Kind() == HarborClaims.ApiKeyKind ? AuditActors.ApiKey : AuditActors.User;
        await audit.RecordAsync(new AuditEntry(kind, user.Id(), user.Identity?.Name, action, target, succeeded, null, null,
            detail is null ? "web ui" : "web ui: " + detail));
    }
}
