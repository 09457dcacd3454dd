using Dapper;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Events;
using Harbor.Controller.Inventory;
using Harbor.Controller.Policy;
using Harbor.Controller.Updates;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;
using Scalar.AspNetCore;

namespace Harbor.Controller.Extensions;

/// <summary>The one place that registers the controller's services and maps its endpoints.</summary>
internal static class ControllerExtensions
{
    public static IHostApplicationBuilder AddHarborController(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.SectionName).ValidateOnStart();
        services.AddOptions<AgentHubOptions>().BindConfiguration(AgentHubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UpdateOptions>().BindConfiguration(UpdateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);

        // Data first: the initializer is the first hosted service, so migrations finish before anything reads.
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddHostedService<DatabaseInitializer>();

        services.AddSingleton<ConnectedAgents>();
        services.AddSingleton<IAgentAuthenticator, SharedTokenAuthenticator>();
        services.AddSingleton<AgentAuthenticationInterceptor>();
        services.AddHostedService<AgentLivenessMonitor>();

        services.AddSingleton<InventoryWriteQueue>();
        services.AddSingleton<InventoryService>();
        services.AddSingleton<InventoryQueries>();
        services.AddHostedService<InventoryWriter>();
        services.AddSingleton<ContainerCountsCollector>();
        services.AddSingleton<HostGroups>();
        services.AddSingleton<EventHub>();

        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PolicyResolver>();
        services.AddSingleton<PolicyRuleStore>();
        services.AddSingleton<PolicyService>();

        // Update detection replaces the resolver with its registry client; TryAdd lets it register first.
        services.TryAddSingleton<ITargetDigestResolver, NoTargetDigestResolver>();
        services.AddSingleton<UpdateJobService>();
        services.AddSingleton<JobReports>();
        services.AddSingleton<JobQueries>();
        services.AddHostedService<JobExpiryMonitor>();

        services.AddGrpc(options =>
        {
            options.Interceptors.Add<AgentAuthenticationInterceptor>();
            options.MaxReceiveMessageSize = 64 * 1024 * 1024;
            options.EnableDetailedErrors = false;
        });

        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.WriteIndented = false);

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        var listeners = new ControllerListeners();
        services.AddSingleton(listeners);
        if (builder is WebApplicationBuilder web)
        {
            listeners.Take(web);
            web.WebHost.ConfigureKestrel(kestrel =>
            {
                listeners.Configure(kestrel);
                // Notice dead agents within seconds even when TCP does not.
                kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(20);
                kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
                kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            });
        }

        return builder;
    }

    public static WebApplication MapHarborController(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics();

        app.MapDefaultEndpoints();
        app.MapGrpcService<AgentHubService>();
        app.MapHostsApi();
        app.MapContainersApi();
        app.MapUpdatesApi();
        app.MapPolicyApi();
        app.MapEventsApi();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        app.Services.GetRequiredService<ContainerCountsCollector>().Register(Metrics.DefaultRegistry);
        app.MapMetrics();
        return app;
    }
}
