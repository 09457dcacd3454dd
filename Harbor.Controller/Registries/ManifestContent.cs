namespace Harbor.Controller.Registries;

/// <summary>A manifest body as served, with its verified digest.</summary>
internal sealed record ManifestContent(string Digest, string? MediaType, byte[] Body)
{
    public bool IsIndex => ManifestMediaTypes.IsIndex(MediaType) || ManifestIndex.LooksLikeIndex(Body);
}
