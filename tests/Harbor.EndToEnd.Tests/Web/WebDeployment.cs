using Harbor.EndToEnd.Tests.Updates;

namespace Harbor.EndToEnd.Tests.Web;

/// <summary>The update deployment with roles enforced (enable_rbac), so a viewer really is a viewer.</summary>
public sealed class WebDeployment : UpdateDeployment
{
    public const string ViewerName = "vera-viewer";
    public const string ViewerPassword = "viewer password that is long enough";

    protected override IDictionary<string, string?>? ControllerSettings { get; } = new Dictionary<string, string?> { ["Harbor:Features:enable_rbac"] = "true" };
}
