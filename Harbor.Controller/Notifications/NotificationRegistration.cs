using Harbor.Controller.Notifications.Channels;

namespace Harbor.Controller.Notifications;

/// <summary>Registers notifications (kept here so ControllerExtensions gains one line).</summary>
internal static class NotificationRegistration
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<INotificationChannel, WebhookChannel>();
        services.AddSingleton<INotificationChannel, SlackChannel>();
        services.AddSingleton<INotificationChannel, DiscordChannel>();
        services.AddSingleton<INotificationChannel, NtfyChannel>();
        services.AddSingleton<INotificationChannel, GotifyChannel>();
        services.AddSingleton<INotificationChannel, TeamsChannel>();
        services.AddSingleton<INotificationChannel, TelegramChannel>();
        services.AddSingleton<INotificationChannel, EmailChannel>();
        services.AddSingleton<INotificationChannel, MqttChannel>();
        services.AddSingleton<ChannelCatalog>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<RuleStore>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<DigestStore>();
        services.AddSingleton<NotificationSender>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<NotificationRouter>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationRouter>());
        services.AddHostedService<NotificationDispatcher>();
        services.AddSingleton<HomeAssistant.HomeAssistantInstaller>();
        services.AddHostedService<HomeAssistant.HomeAssistantPublisher>();
        return services;
    }
}
