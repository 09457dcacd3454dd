namespace Harbor.Controller.Automation;

/// <summary>A container under policy auto with an update of <paramref name="Reference"/> to <paramref name="Digest"/>, in rollout stage <paramref name="Stage"/>.</summary>
internal sealed record RolloutCandidate(string Reference, string Digest, int Stage);
