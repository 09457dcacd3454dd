using Dapper;
using Harbor.Controller.Agents;
using Harbor.Controller.Automation;
using Harbor.Controller.Checks;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Events;
using Harbor.Controller.Inventory;
using Harbor.Controller.Notifications;
using Harbor.Controller.Policy;
using Harbor.Controller.Registries;
using Harbor.Controller.Registries.Credentials;
using Harbor.Controller.Registries.RateLimits;
using Harbor.Controller.Security;
using Harbor.Controller.Updates;
using Harbor.Controller.Updates.Preview;
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
        services.AddSingleton<HostGroups>();
        services.AddSingleton<EventHub>();

        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PolicyResolver>();
        services.AddSingleton<PolicyRuleStore>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<DefaultBehaviour>();
        services.AddSingleton<Settings.SettingsStore>();
        services.AddSingleton<Settings.RetentionService>();
        services.AddHostedService<Settings.RetentionWorker>();
        services.AddSingleton<Security.Setup.SetupProgress>();

        services.AddSingleton<ITargetDigestResolver, RegistryTargetDigestResolver>();
        services.AddSingleton<UpdateJobService>();
        services.AddSingleton<UpdatePreviewService>();
        services.AddSingleton<JobReports>();
        services.AddSingleton<JobQueries>();
        services.AddHostedService<JobExpiryMonitor>();

        // Update detection: registry client, credentials, check runs, schedule, webhooks.
        services.AddOptions<RegistryClientOptions>().BindConfiguration(RegistryClientOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CheckOptions>().BindConfiguration(CheckOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(o => string.IsNullOrWhiteSpace(o.Secret) || o.Secret.Trim().Length >= WebhookSecret.MinLength,
                $"{WebhookOptions.SectionName}:Secret must be at least {WebhookSecret.MinLength} characters.")
            .ValidateOnStart();
        builder.AddCredentialProtection();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<IRegistryCredentialProvider>(sp => sp.GetRequiredService<CredentialStore>());
        services.AddSingleton<RegistryReachability>();
        services.AddSingleton<IRegistryTelemetry, DetectionTelemetry>();
        services.AddSingleton<RegistryClient>();
        services.AddSingleton<CredentialService>();
        services.AddSingleton<CheckRunStore>();
        services.AddSingleton<CheckService>();
        services.AddSingleton<CheckExecutor>();
        services.AddSingleton<WebhookSecret>();
        services.AddSingleton<RateLimitStore>();
        // Before the check workers: a restored Retry-After pause holds from the first check on.
        services.AddHostedService<RateLimitPersistence>();
        services.AddHostedService<CheckWorker>();
        services.AddSingleton<ScheduledCheckPlan>();
        services.AddHostedService<CheckScheduler>();
        services.AddNotifications();

        // Automation: applies each container's policy after checks and jobs (approvals, auto updates, events).
        services.AddOptions<AutomationOptions>().BindConfiguration(AutomationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AutomationStore>();
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<RolloutStore>();
        services.AddSingleton<RolloutCoordinator>();
        services.AddSingleton<AutomationEngine>();
        services.AddSingleton<DependencyGraph>();
        services.AddSingleton<DependentRestarter>();
        services.AddHostedService<AutomationWorker>();

        services.AddGrpc(options =>
        {
            options.Interceptors.Add<AgentAuthenticationInterceptor>();
            options.MaxReceiveMessageSize = 64 * 1024 * 1024;
            options.EnableDetailedErrors = false;
        });

        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.WriteIndented = false);

        // /health: the database failing is a failure; an offline agent or a registry in trouble only degrades Harbor.
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<AgentHubHealthCheck>("agent-hub")
            .AddCheck<RegistryHealthCheck>("registries");
        builder.AddHarborWeb();

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
        app.MapUpdatesApi();
        app.MapUpdatePreviewApi();
        app.MapPolicyApi();
        app.MapEventsApi();
        app.MapChecksApi();
        app.MapCredentialsApi();
        app.MapWebhooksApi();
        app.MapWebhookSecretApi();
        app.MapRateLimitsApi();
        app.MapHarborSecurity();
        app.MapAutomationApi();
        app.MapNotificationsApi();
        app.MapHarborWeb();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        app.Services.GetRequiredService<ContainerCountsCollector>().Register(Metrics.DefaultRegistry);
        // Resolve now so a generated webhook secret is created and logged at start-up, not at the first delivery.
        app.Services.GetRequiredService<WebhookSecret>();
        app.MapMetrics();
        return app;
    }
}
