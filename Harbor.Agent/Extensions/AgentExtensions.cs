using Harbor.Agent.Connection;
using Harbor.Agent.Diagnostics;
using Harbor.Agent.Docker;
using Harbor.Agent.Inventory;
using Harbor.Agent.Journal;
using Harbor.Agent.Updates;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Harbor.Agent.Extensions;

/// <summary>The one place that registers the agent's services and maps its endpoints.</summary>
internal static class AgentExtensions
{
    /// <summary>The agent's health/metrics port when nothing else is configured: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8482";

    public static WebApplicationBuilder AddHarborAgent(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddOptions<DockerOptions>().BindConfiguration(DockerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DockerOptions>, DockerOptionsValidator>();
        services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InventoryOptions>, InventoryOptionsValidator>();
        services.AddOptions<UpdateOptions>().BindConfiguration(UpdateOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UpdateOptions>, UpdateOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentIdentity>();
        services.AddSingleton<IDockerEngine, DockerEngine>();
        services.AddSingleton<InventoryTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<InventoryTracker>());

        // Updates: the journal is loaded at start; UpdateService recovers interrupted jobs before taking new ones.
        services.AddSingleton<RegistryCredentials>();
        services.AddSingleton<JobJournal>();
        services.AddSingleton<JobOutbox>();
        services.AddSingleton<ContainerVerifier>();
        services.AddSingleton<ContainerRestorer>();
        services.AddSingleton<ImageRetention>();
        services.AddSingleton<UpdateExecutor>();
        services.AddSingleton<RestartExecutor>();
        services.AddSingleton<JournalRecovery>();
        services.AddSingleton<UpdateService>();
        services.AddHostedService(sp => sp.GetRequiredService<UpdateService>());

        services.AddSingleton<ConnectionStatus>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.DevToken)}"]))
        {
            services.AddSingleton<IControllerCredentials, EnrolledCertificateCredentials>();
        }
        else
        {
            services.AddSingleton<IControllerCredentials, DevTokenCredentials>();
        }

        services.AddSingleton(ControllerChannelFactory.Create);
        services.AddSingleton(sp => new AgentHub.AgentHubClient(sp.GetRequiredService<Grpc.Net.Client.GrpcChannel>()));
        services.AddSingleton<AgentSessionFactory>();
        services.AddHostedService<ControllerConnection>();

        services.AddHealthChecks()
            .AddCheck<DockerEngineHealthCheck>("docker-engine")
            .AddCheck<ControllerConnectionHealthCheck>("controller-connection");

        // Process metrics (RSS, CPU) stay; the meter/event-counter bridges cost memory the agent does not need.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
        return builder;
    }

    public static WebApplication MapHarborAgentEndpoints(this WebApplication app)
    {
        // Resolve the identity and journal now so a broken state directory stops start-up with a clear message.
        _ = app.Services.GetRequiredService<AgentIdentity>();
        _ = app.Services.GetRequiredService<JobJournal>();
        if (app.Services.GetRequiredService<IControllerCredentials>() is DevTokenCredentials)
        {
            Log.DevMode(app.Services.GetRequiredService<ILogger<DevTokenCredentials>>());
        }

        if (SelfContainer.Id is { } self)
        {
            Log.RunningInContainer(app.Services.GetRequiredService<ILogger<UpdateService>>(), self[..12]);
        }

        app.MapMetrics();
        return app;
    }
}
