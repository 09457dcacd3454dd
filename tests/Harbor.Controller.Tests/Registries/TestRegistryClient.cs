using System.Collections.Concurrent;
using Harbor.Controller.Registries;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Tests.Registries;

/// <summary>A real <see cref="RegistryClient"/> with fixed credentials and a request log.</summary>
internal sealed class TestRegistryClient : IRegistryTelemetry, IRegistryCredentialProvider, IDisposable
{
    private readonly ConcurrentDictionary<string, RegistryCredential> credentials = new();

    public TestRegistryClient(Action<RegistryClientOptions>? configure = null)
    {
        var options = new RegistryClientOptions { BackoffBase = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        Client = new RegistryClient(Options.Create(options), this, this, TimeProvider.System, NullLogger<RegistryClient>.Instance);
    }

    public RegistryClient Client { get; }

    public ConcurrentQueue<(string Registry, string Method, string Outcome)> Requests { get; } = new();

    public ConcurrentDictionary<string, long> RateLimits { get; } = new();

    public void UseCredential(string registry, string username, string secret) => credentials[registry] = new RegistryCredential(username, secret);

    public int Count(string method) => Requests.Count(r => r.Method == method);

    public void RequestCompleted(string registry, string method, string outcome) => Requests.Enqueue((registry, method, outcome));

    public void RateLimitObserved(string registry, long remaining, long? limit) => RateLimits[registry] = remaining;

    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
        ValueTask.FromResult(credentials.GetValueOrDefault(registry));

    public void Dispose() => Client.Dispose();
}
