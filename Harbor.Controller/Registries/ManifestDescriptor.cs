namespace Harbor.Controller.Registries;

/// <summary>What a tag points to: its digest and media type. <see cref="FromGet"/> tells that HEAD had no digest header and the body was hashed.</summary>
internal sealed record ManifestDescriptor(string Digest, string? MediaType, long? Size, bool FromGet)
{
    public bool IsIndex => ManifestMediaTypes.IsIndex(MediaType);
}
