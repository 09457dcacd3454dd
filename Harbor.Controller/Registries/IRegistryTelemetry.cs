namespace Harbor.Controller.Registries;

/// <summary>What the registry client reports about its requests (the controller turns it into Prometheus metrics).</summary>
internal interface IRegistryTelemetry
{
    /// <summary>One HTTP request finished. <paramref name="method"/> is HEAD, GET or token; <paramref name="outcome"/> one of <see cref="RegistryOutcome"/>.</summary>
    void RequestCompleted(string registry, string method, string outcome);

    /// <summary>The registry said how many requests remain in its current window.</summary>
    void RateLimitObserved(string registry, long remaining, long? limit);
}
