using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Updates;

/// <summary>Section <c>Harbor:Controller:Updates</c>.</summary>
internal sealed class UpdateOptions
{
    public const string SectionName = "Harbor:Controller:Updates";

    /// <summary>
    /// A job its agent has not taken (no event from it) within this time ends as failed ("expired"), and
    /// is not sent again. Jobs the agent took are never expired: the agent's result always arrives.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "7.00:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
