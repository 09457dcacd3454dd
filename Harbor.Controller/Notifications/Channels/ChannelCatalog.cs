namespace Harbor.Controller.Notifications.Channels;

/// <summary>Every channel type the controller can deliver to, by type name.</summary>
internal sealed class ChannelCatalog(IEnumerable<INotificationChannel> channels)
{
    private readonly Dictionary<string, INotificationChannel> byType = channels.ToDictionary(c => c.Type, StringComparer.Ordinal);

    public IEnumerable<INotificationChannel> All => byType.Values.OrderBy(c => c.Type, StringComparer.Ordinal);

    public INotificationChannel? Find(string type) => byType.GetValueOrDefault(type);
}
