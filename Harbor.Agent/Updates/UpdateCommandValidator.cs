using System.Text.RegularExpressions;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Updates;

/// <summary>Checks an <see cref="UpdateCommand"/> or <see cref="RestartCommand"/> before the agent trusts anything in it.</summary>
internal static partial class UpdateCommandValidator
{
    public const int MaxVerifyMilliseconds = 3_600_000;

    /// <summary>Job ids become journal file names and container names: a strict alphabet.</summary>
    public static bool IsValidJobId(string? jobId) => jobId is not null && JobIdPattern().IsMatch(jobId);

    /// <summary>Null when valid, else what is wrong.</summary>
    public static string? Validate(UpdateCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!IsValidJobId(command.JobId))
        {
            return "job_id must be 1-64 letters, digits, '-' or '_'.";
        }

        if (!ContainerIdPattern().IsMatch(command.ContainerId))
        {
            return $"container_id '{command.ContainerId}' is not a full container id (64 lowercase hex digits).";
        }

        if (command.Strategy is not ("" or JobRecord.BlueGreenStrategy))
        {
            return $"strategy '{command.Strategy}' is not known to this agent; it does recreate (empty) and {JobRecord.BlueGreenStrategy}.";
        }

        if (command.Strategy.Length > 0 && command.RollbackToPrevious)
        {
            return "A rollback job is always a recreate; strategy must be empty.";
        }

        var localImage = ImageReference.IsDigest(command.TargetImage);
        if (localImage && !command.RollbackToPrevious)
        {
            return "A local image id as target_image is only allowed for a rollback; an update names repository@sha256:….";
        }

        ImageReference? target = null;
        if (!localImage)
        {
            if (!ImageReference.TryParse(command.TargetImage, out target, out var error))
            {
                return "target_image: " + error;
            }

            if (target.Digest is null || target.Tag is not null)
            {
                return $"target_image '{command.TargetImage}' must be repository@sha256:… (pulled by digest, never by tag).";
            }
        }

        if (command.TargetTag.Length > 0)
        {
            if (!ImageReference.TryParse(command.TargetTag, out var tag, out var error))
            {
                return "target_tag: " + error;
            }

            if (tag.Tag is null || tag.Digest is not null)
            {
                return $"target_tag '{command.TargetTag}' must be repository:tag.";
            }

            if (target is not null && tag.Repository != target.Repository)
            {
                return $"target_tag '{command.TargetTag}' names another repository than target_image '{command.TargetImage}'.";
            }
        }

        return Validate(command.Verify);
    }

    /// <summary>Null when valid, else what is wrong.</summary>
    public static string? Validate(RestartCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!IsValidJobId(command.JobId))
        {
            return "job_id must be 1-64 letters, digits, '-' or '_'.";
        }

        return ContainerIdPattern().IsMatch(command.ContainerId)
            ? Validate(command.Verify)
            : $"container_id '{command.ContainerId}' is not a full container id (64 lowercase hex digits).";
    }

    private static string? Validate(VerifySettings? verify)
    {
        if (verify is not null)
        {
            if (verify.StabilityWindowMs > MaxVerifyMilliseconds || verify.HealthTimeoutCapMs is < 0 or > MaxVerifyMilliseconds)
            {
                return "verify: windows and timeouts are at most one hour.";
            }

            if (verify.HttpProbeUrl.Length > 0 && !verify.HttpProbeUrl.StartsWith(':')
                && !(Uri.TryCreate(verify.HttpProbeUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            {
                return $"verify.http_probe_url '{verify.HttpProbeUrl}' is not an http(s) URL or :port/path.";
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ContainerIdPattern();
}
