using System.ComponentModel.DataAnnotations;

namespace Harbor.Controller.Notifications;

/// <summary>Delivery settings (section Harbor:Controller:Notifications), validated at start-up.</summary>
internal sealed class NotificationOptions : IValidatableObject
{
    public const string SectionName = "Harbor:Controller:Notifications";

    /// <summary>Attempts per message before it becomes a dead letter.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each further retry doubles it (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A receiver's Retry-After is honoured up to this long.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one delivery request may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the dispatcher looks for due messages when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries in flight at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Delivered messages are kept this long (for "was it sent?"), then deleted; dead letters stay until retried or deleted.</summary>
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Home Assistant discovery republishes what changed at least this often (changes in the inventory wake it at once).</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(InitialBackoff), InitialBackoff), (nameof(MaxBackoff), MaxBackoff), (nameof(MaxRetryAfter), MaxRetryAfter),
                     (nameof(RequestTimeout), RequestTimeout), (nameof(PollInterval), PollInterval), (nameof(DeliveredRetention), DeliveredRetention),
                     (nameof(DiscoveryInterval), DiscoveryInterval),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{SectionName}:{name} must be positive.", [name]);
            }
        }

        if (MaxBackoff < InitialBackoff)
        {
            yield return new ValidationResult($"{SectionName}:MaxBackoff must not be shorter than InitialBackoff.", [nameof(MaxBackoff)]);
        }
    }
}
