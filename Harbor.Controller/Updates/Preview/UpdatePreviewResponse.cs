namespace Harbor.Controller.Updates.Preview;

/// <summary>
/// <c>GET /api/v1/containers/{host}/{container}/update-preview</c>: what the available update changes
/// in the image's config, compared for the container's platform. Only differences are listed.
/// </summary>
internal sealed record UpdatePreviewResponse(
    string HostId,
    string Container,
    string Image,
    string CurrentDigest,
    string TargetDigest,
    string Platform,
    IReadOnlyList<ConfigChange> Changes);
