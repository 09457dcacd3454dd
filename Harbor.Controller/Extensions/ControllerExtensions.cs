using Dapper;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Inventory;
using Harbor.Controller.Security;
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

        services.TryAddSingleton(TimeProvider.System);

        // Data first: the initializer is the first hosted service, so migrations finish before anything reads.
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddHostedService<DatabaseInitializer>();

        // Security right after the data: setup and the agent CA start once migrations are done.
        builder.AddHarborSecurity();

        services.AddSingleton<ConnectedAgents>();
        services.AddSingleton<AgentAuthenticationInterceptor>();
        services.AddHostedService<AgentLivenessMonitor>();

        services.AddSingleton<InventoryWriteQueue>();
        services.AddSingleton<InventoryService>();
        services.AddSingleton<InventoryQueries>();
        services.AddHostedService<InventoryWriter>();
        services.AddSingleton<ContainerCountsCollector>();

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
            var devMode = !string.IsNullOrWhiteSpace(builder.Configuration[ControllerListeners.DevTokenKey]);
            web.WebHost.ConfigureKestrel(kestrel =>
            {
                listeners.Configure(kestrel, devMode ? null : SecurityExtensions.AgentHubTls(kestrel.ApplicationServices));
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
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Malformed input is the caller's mistake: 400 problem+json, never 500.
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseHttpMetrics();
        app.UseHarborSecurity();

        app.MapDefaultEndpoints();
        app.MapGrpcService<AgentHubService>();
        app.MapHostsApi();
        app.MapContainersApi();
        app.MapHarborSecurity();

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
