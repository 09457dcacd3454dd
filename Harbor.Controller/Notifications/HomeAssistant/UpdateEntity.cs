using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harbor.Controller.Checks;
using Harbor.Controller.Inventory;
using Harbor.Controller.Updates;

namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>
/// One container as a Home Assistant MQTT "update" entity: its discovery config (retained under
/// &lt;discoveryPrefix&gt;/update/harbor_&lt;host&gt;_&lt;container&gt;/config) and its state (retained JSON with
/// installed_version and latest_version; Home Assistant shows an update when they differ, and
/// in_progress/update_percentage while a job runs). With installing allowed the config names the
/// command topic its Install button publishes "install" to.
/// </summary>
internal sealed partial record UpdateEntity(
    string ObjectId, string ConfigTopic, string StateTopic, string Config, string State,
    string? CommandTopic = null, string? HostId = null, string? ContainerName = null)
{
    public const string ObjectIdPrefix = "harbor_";

    private static readonly string PullStep = UpdateMapper.Name(Harbor.Protos.Agent.V1.JobStep.Pull);

    /// <summary>What the Install button publishes.</summary>
    public const string InstallPayload = "install";

    /// <summary>The command topic's last level: &lt;topicPrefix&gt;/&lt;host&gt;/&lt;container&gt;/install.</summary>
    public const string CommandLevel = "install";

    /// <summary>Home Assistant keeps at most this many characters of release_summary.</summary>
    internal const int MaxSummaryLength = 255;

    /// <summary>The container's entity; <paramref name="notice"/> (what became of the last Install press, null: nothing to say) comes before the summary.</summary>
    public static UpdateEntity From(
        ContainerResponse container, string discoveryPrefix, string topicPrefix, string availabilityTopic, bool installable, ActiveJob? job, string? notice = null)
    {
        var objectId = ObjectIdPrefix + Slug(container.HostId) + "_" + Slug(container.Name);
        var baseTopic = $"{topicPrefix}/{TopicLevel(container.HostId)}/{TopicLevel(container.Name)}";
        var stateTopic = baseTopic + "/state";
        var commandTopic = $"{baseTopic}/{CommandLevel}";
        var config = new JsonObject
        {
            ["name"] = container.Name,
            ["unique_id"] = objectId,
            ["object_id"] = objectId,
            ["state_topic"] = stateTopic,
            ["availability_topic"] = availabilityTopic,
            ["title"] = container.Image,
            ["device"] = new JsonObject
            {
                ["identifiers"] = new JsonArray(ObjectIdPrefix + Slug(container.HostId)),
                ["name"] = $"Harbor {container.HostName}",
                ["manufacturer"] = "Harbor",
                ["model"] = "Docker host",
            },
            ["origin"] = new JsonObject { ["name"] = "Harbor" },
        };
        if (installable)
        {
            config["command_topic"] = commandTopic;
            config["payload_install"] = InstallPayload;
        }

        return new UpdateEntity(objectId, $"{discoveryPrefix}/update/{objectId}/config", stateTopic, config.ToJsonString(), StateJson(container, job, notice),
            commandTopic, container.HostId, container.Name);
    }

    /// <summary>
    /// Versions as a user recognises them: the tag and the short digest running now; the latest is
    /// the same unless a check found an update (the tracked tag's, or the tag's new digest).
    /// </summary>
    private static string StateJson(ContainerResponse container, ActiveJob? job, string? notice)
    {
        var tag = Tag(container.Image);
        var installed = $"{tag} ({ShortDigest(container.RepoDigests.Select(d => d[(d.IndexOf('@') + 1)..]).FirstOrDefault() ?? container.ImageId)})";
        var update = container.Update;
        var latest = update.Status == UpdateStatus.UpdateAvailable && update.RemoteDigest is { } remote
            ? $"{update.TargetTag ?? tag} ({ShortDigest(remote)})"
            : installed;
        var summary = update.Status switch
        {
            UpdateStatus.UpdateAvailable => $"A newer image is available for {container.Image}.",
            UpdateStatus.Error => $"The last check failed: {update.Error}",
            UpdateStatus.Pinned => "Pinned to a digest: Harbor does not update it.",
            UpdateStatus.Local => "A locally built image: there is nothing to check.",
            UpdateStatus.UpToDate => "Up to date.",
            _ => "Not checked yet.",
        };
        return new JsonObject
        {
            ["installed_version"] = installed,
            ["latest_version"] = latest,
            ["title"] = container.Image,
            ["release_summary"] = Shorten(notice is null ? summary : $"{notice} {summary}", MaxSummaryLength),
            ["status"] = update.Status,
            ["in_progress"] = job is not null,
            // Only the pull reports a fraction; other steps leave the bar to Home Assistant's spinner.
            ["update_percentage"] = job is { Progress: > 0 and < 1 and var progress } && job.CurrentStep == PullStep ? Math.Round(progress * 100) : null,
        }.ToJsonString(JsonSerializerOptions.Web);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Tag(string image)
    {
        var reference = image.Split('@')[0];
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[(colon + 1)..] : "latest";
    }

    private static string ShortDigest(string digest) => digest.Replace("sha256:", "", StringComparison.Ordinal) is var hex && hex.Length > 12 ? hex[..12] : hex;

    /// <summary>Home Assistant object ids allow letters, digits, _ and -.</summary>
    private static string Slug(string text) => SlugPattern().Replace(text, "_");

    /// <summary>A topic level without MQTT's special characters.</summary>
    private static string TopicLevel(string text) => TopicPattern().Replace(text, "_");

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[/+#$\0]")]
    private static partial Regex TopicPattern();
}
