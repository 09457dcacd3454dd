namespace Harbor.Controller.Registries;

/// <summary>The manifest media types Harbor asks for, most general first, and how to tell an index from an image.</summary>
internal static class ManifestMediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>The Accept list for manifest requests: without the index types a registry would down-convert multi-arch tags.</summary>
    public static readonly IReadOnlyList<string> Accept = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;
}
