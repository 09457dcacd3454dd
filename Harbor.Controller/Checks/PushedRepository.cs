namespace Harbor.Controller.Checks;

/// <summary>A repository a registry webhook says was pushed to (tag null when the event names none).</summary>
internal sealed record PushedRepository(string Registry, string Repository, string? Tag)
{
    public override string ToString() => Tag is null ? $"{Registry}/{Repository}" : $"{Registry}/{Repository}:{Tag}";
}
