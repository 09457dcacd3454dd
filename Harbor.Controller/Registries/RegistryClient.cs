using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Registries;

/// <summary>
/// A Distribution API v2 client for what Harbor needs: resolve a tag to a digest (HEAD, GET only
/// when the digest header is missing), fetch a manifest, test a login. It handles anonymous, Basic
/// and Bearer-token auth (tokens cached per registry + scope), honours Retry-After, records
/// rate-limit headers, caps concurrency per registry and fails fast on a registry found unreachable.
/// </summary>
/// <remarks>Free of controller-only dependencies (no database, no ASP.NET Core) so the agent's pull can reuse it.</remarks>
internal sealed class RegistryClient : IDisposable
{
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    private readonly RegistryClientOptions options;
    private readonly IRegistryCredentialProvider credentials;
    private readonly IRegistryTelemetry telemetry;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly RegistryHttpClients clients;
    private readonly RegistryTokenCache tokens;
    private readonly ConcurrentDictionary<string, RegistryGate> gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RegistryChallenge> challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string, string, string), Lazy<Task<string>>> tokenFetches = new();

    public RegistryClient(
        IOptions<RegistryClientOptions> options,
        IRegistryCredentialProvider credentials,
        IRegistryTelemetry telemetry,
        TimeProvider timeProvider,
        ILogger<RegistryClient> logger)
    {
        this.options = options.Value;
        this.credentials = credentials;
        this.telemetry = telemetry;
        this.timeProvider = timeProvider;
        this.logger = logger;
        clients = new RegistryHttpClients(this.options);
        tokens = new RegistryTokenCache(timeProvider);
    }

    /// <summary>Resolves a tag (or digest) to the digest the registry serves, with one HEAD request when the registry sends Docker-Content-Digest.</summary>
    public async Task<ManifestDescriptor> HeadManifestAsync(ImageReference image, string reference, CancellationToken cancellationToken)
    {
        using (var response = await SendAsync(image.Registry, image.Repository, HttpMethod.Head, ManifestPath(image, reference), "HEAD", null, false, cancellationToken))
        {
            var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault()?.Trim() : null;
            if (digest is not null && ContentDigest.IsValid(digest))
            {
                return new ManifestDescriptor(digest, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentLength, FromGet: false);
            }
        }

        Log.RegistryDigestHeaderMissing(logger, image.Registry, $"{image.Name}:{reference}");
        var content = await GetManifestAsync(image, reference, cancellationToken);
        return new ManifestDescriptor(content.Digest, content.MediaType, content.Body.Length, FromGet: true);
    }

    /// <summary>Fetches a manifest and verifies its digest (against the reference when it is one, else against the digest header).</summary>
    public async Task<ManifestContent> GetManifestAsync(ImageReference image, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(image.Registry, image.Repository, HttpMethod.Get, ManifestPath(image, reference), "GET", null, false, cancellationToken);
        var body = await ReadLimitedAsync(image.Registry, response, cancellationToken);
        var computed = ContentDigest.Sha256(body);
        var expected = ContentDigest.IsValid(reference)
            ? reference
            : response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault()?.Trim() : null;
        if (expected is not null && expected != computed && !ContentDigest.Matches(expected, body))
        {
            throw new RegistryException(RegistryErrorKind.Protocol, image.Registry,
                $"{image.Registry} served a manifest for {image.Name}:{reference} whose content does not match its digest {expected}.");
        }

        return new ManifestContent(expected ?? computed, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>Fetches a small blob (an image config) by digest and verifies it; larger than 4 MiB is refused.</summary>
    public async Task<byte[]> GetBlobAsync(ImageReference image, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(image.Registry, image.Repository, HttpMethod.Get, $"/v2/{image.Repository}/blobs/{Uri.EscapeDataString(digest)}", "GET", null, false, cancellationToken);
        var body = await ReadLimitedAsync(image.Registry, response, cancellationToken);
        if (!ContentDigest.Matches(digest, body))
        {
            throw new RegistryException(RegistryErrorKind.Protocol, image.Registry, $"{image.Registry} served a blob of {image.Name} whose content does not match its digest {digest}.");
        }

        return body;
    }

    /// <summary>
    /// Every tag of a repository (GET /v2/&lt;name&gt;/tags/list), following the registry's pagination
    /// (<c>n</c> and the <c>Link: &lt;…&gt;; rel="next"</c> header) through the same auth, retry and rate-limit path.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? path = $"/v2/{image.Repository}/tags/list?n={options.TagsPageSize.ToString(CultureInfo.InvariantCulture)}";
        for (var page = 1; path is not null; page++)
        {
            if (page > options.MaxTagPages)
            {
                throw new RegistryException(RegistryErrorKind.Protocol, image.Registry,
                    $"{image.Registry}/{image.Repository} has more than {options.MaxTagPages} pages of tags; raise {RegistryClientOptions.SectionName}:MaxTagPages to list them all.");
            }

            using var response = await SendAsync(image.Registry, image.Repository, HttpMethod.Get, path, "GET", null, false, cancellationToken);
            var body = await ReadLimitedAsync(image.Registry, response, cancellationToken);
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var tag in list.EnumerateArray())
                    {
                        if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { Length: > 0 } text && seen.Add(text))
                        {
                            tags.Add(text);
                        }
                    }
                }
            }
            catch (JsonException e)
            {
                throw new RegistryException(RegistryErrorKind.Protocol, image.Registry, $"{image.Registry} answered the tag list of {image.Repository} with invalid JSON ({e.Message}).", e);
            }

            path = NextPage(response);
        }

        return tags;
    }

    /// <summary>Tries <paramref name="credential"/> against the registry the way <c>docker login</c> does (GET /v2/, then the challenge).</summary>
    public async Task<RegistryLoginResult> TestLoginAsync(string registry, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(registry, null, HttpMethod.Get, "/v2/", "GET", credential, true, cancellationToken);
            var challenge = challenges.GetValueOrDefault(registry);
            return challenge is null
                ? new RegistryLoginResult(true, $"{registry} answered without asking for credentials.")
                : new RegistryLoginResult(true, credential is null
                    ? $"{registry} accepts anonymous access."
                    : $"{registry} accepted the credentials of '{credential.Username}' ({challenge.Scheme}).");
        }
        catch (RegistryException e)
        {
            return new RegistryLoginResult(false, e.Message);
        }
    }

    /// <summary>The last rate-limit "remaining" count a registry reported, if any.</summary>
    public long? RateLimitRemaining(string registry) => gates.TryGetValue(registry, out var gate) ? gate.RateLimitRemaining : null;

    /// <summary>The rate-limit state of every registry contacted since start, by registry host.</summary>
    public IReadOnlyDictionary<string, RateLimitState> RateLimits() =>
        gates.ToDictionary(g => g.Key, g => g.Value.RateLimit, StringComparer.OrdinalIgnoreCase);

    /// <summary>Seeds a registry's rate-limit state from what a previous run of the controller saved.</summary>
    public void RestoreRateLimit(string registry, RateLimitState state) => Gate(registry).Restore(state);

    /// <summary>Drops cached tokens and the remembered auth scheme (the registry's credential changed).</summary>
    public void ForgetCredentials(string registry)
    {
        tokens.Forget(registry);
        challenges.TryRemove(registry, out _);
    }

    public void Dispose()
    {
        clients.Dispose();
        foreach (var gate in gates.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>The path and query of the <c>rel="next"</c> link, relative or absolute (always asked of the same registry).</summary>
    internal static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open < 0 || close < open
                || !link[(close + 1)..].Split(';').Any(p => p.Trim().Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next"))
            {
                continue;
            }

            var target = link[(open + 1)..close].Trim();
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            {
                target = absolute.PathAndQuery;
            }

            // Only ever another page of the Distribution API: credentials go to this registry, nowhere else.
            return target.StartsWith("/v2/", StringComparison.Ordinal) ? target : null;
        }

        return null;
    }

    private static string ManifestPath(ImageReference image, string reference) =>
        $"/v2/{image.Repository}/manifests/{Uri.EscapeDataString(reference)}";

    private RegistryGate Gate(string registry) =>
        gates.GetOrAdd(registry, r => new RegistryGate(r, options.Find(r)?.MaxConcurrency ?? options.MaxConcurrencyPerRegistry, timeProvider));

    private async Task<HttpResponseMessage> SendAsync(
        string registry, string? repository, HttpMethod method, string path, string metricMethod,
        RegistryCredential? explicitCredential, bool useExplicitCredential, CancellationToken cancellationToken)
    {
        var gate = Gate(registry);
        if (gate.PausedFor() is var paused && paused > options.MaxRetryAfter)
        {
            // A long Retry-After (possibly from before a restart) is honoured without waiting in the check: it fails now, asking nothing.
            var until = timeProvider.GetUtcNow() + paused;
            throw new RegistryException(RegistryErrorKind.RateLimited, registry,
                $"{registry} asked Harbor to stop sending requests until {until.ToString("u", CultureInfo.InvariantCulture)} (Retry-After); nothing is sent to it before then.")
            { RetryAt = until };
        }

        using var slot = await gate.EnterAsync(cancellationToken);
        var credential = useExplicitCredential ? explicitCredential : await credentials.GetAsync(registry, cancellationToken);
        var scope = repository is null ? "" : $"repository:{repository}:pull";
        var authRefreshed = false;
        var uri = new Uri($"{clients.SchemeFor(registry)}://{ImageReference.ApiHostOf(registry)}{path}");

        for (var attempt = 1; ; attempt++)
        {
            await gate.WaitWhilePausedAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, uri);
            foreach (var mediaType in ManifestMediaTypes.Accept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
            }

            var challenge = challenges.GetValueOrDefault(registry);
            request.Headers.Authorization = await AuthorizationAsync(registry, challenge, scope, credential, cancellationToken);
            var response = await SendOnceAsync(registry, gate, request, metricMethod, cancellationToken);
            RecordRateLimit(registry, gate, response);

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.Ok);
                return response;
            }

            using (response)
            {
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Unauthorized:
                        telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.Unauthorized);
                        var offered = RegistryChallenge.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString()));
                        var usable = offered.FirstOrDefault(c => c.IsBearer && c.Realm is not null) ?? offered.FirstOrDefault(c => c.IsBasic);
                        if (usable is { IsBasic: true } && credential is null)
                        {
                            throw Unauthorized(registry, repository, credential, usable.Error);
                        }

                        if (usable is not null && !authRefreshed && (challenge is null || !SameScheme(challenge, usable) || usable.IsBearer))
                        {
                            // First 401, or a Bearer token the registry no longer accepts: learn the scheme, renew, retry once.
                            challenges[registry] = usable;
                            if (usable.IsBearer)
                            {
                                tokens.Forget(registry);
                            }

                            authRefreshed = true;
                            attempt--;
                            continue;
                        }

                        throw Unauthorized(registry, repository, credential, usable?.Error);

                    case HttpStatusCode.Forbidden:
                        telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.Denied);
                        throw new RegistryException(RegistryErrorKind.Denied, registry, credential is null
                            ? $"{registry} denies anonymous access to {repository ?? "the registry"} (403 Forbidden); add credentials for it."
                            : $"{registry} denies '{credential.Username}' access to {repository ?? "the registry"} (403 Forbidden).");

                    case HttpStatusCode.NotFound:
                        telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.NotFound);
                        throw new RegistryException(RegistryErrorKind.NotFound, registry, repository is null
                            ? $"{registry} does not serve the Distribution API (404 on /v2/)."
                            : path.Contains("/tags/list", StringComparison.Ordinal)
                            ? $"name unknown: {registry} has no repository {repository} (deleted, renamed or never pushed)."
                            : $"manifest unknown: {registry}/{repository} has no {DescribeReference(path)} (deleted, renamed or never pushed).");

                    case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable:
                        telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.RateLimited);
                        var now = timeProvider.GetUtcNow();
                        var retryAfter = RateLimitHeaders.RetryAfter(response, now);
                        var wait = retryAfter ?? Backoff(attempt);
                        if (attempt >= options.MaxAttempts || wait > options.MaxRetryAfter)
                        {
                            gate.PauseUntil(now + wait);
                            throw new RegistryException(RegistryErrorKind.RateLimited, registry,
                                $"{registry} is rate limiting requests ({status} {ReasonOf(response)}); it asks to retry after {Describe(wait)} (at {(now + wait).ToString("u", CultureInfo.InvariantCulture)}).")
                            { RetryAt = now + wait };
                        }

                        Log.RegistryRateLimited(logger, registry, status, wait, attempt + 1);
                        gate.PauseUntil(now + wait);
                        continue;

                    case >= HttpStatusCode.InternalServerError when attempt < options.MaxAttempts:
                        telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.ServerError);
                        var backoff = Backoff(attempt);
                        Log.RegistryServerError(logger, registry, status, backoff, attempt + 1);
                        await Task.Delay(backoff, timeProvider, cancellationToken);
                        continue;

                    default:
                        telemetry.RequestCompleted(registry, metricMethod, status >= 500 ? RegistryOutcome.ServerError : RegistryOutcome.Invalid);
                        throw new RegistryException(RegistryErrorKind.Protocol, registry, $"{registry} answered {status} {ReasonOf(response)}{await ErrorDetailAsync(response, cancellationToken)}.");
                }
            }
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string registry, RegistryGate gate, HttpRequestMessage request, string metricMethod, CancellationToken cancellationToken)
    {
        gate.ThrowIfUnreachable();
        using var timeout = new CancellationTokenSource(options.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await clients.For(registry).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.Timeout);
            throw MarkUnreachable(gate, $"{registry} did not answer within {Describe(options.RequestTimeout)}.", null);
        }
        catch (HttpRequestException e)
        {
            telemetry.RequestCompleted(registry, metricMethod, RegistryOutcome.Unreachable);
            var reason = e.InnerException is AuthenticationException tls
                ? $"{registry} is unreachable: the TLS handshake failed ({tls.Message}). Configure its CA (CaCertificateFile) or, for a plain-HTTP registry, Insecure=true."
                : $"{registry} is unreachable: {e.Message}";
            throw MarkUnreachable(gate, reason, e);
        }
    }

    private RegistryException MarkUnreachable(RegistryGate gate, string reason, Exception? inner)
    {
        Log.RegistryUnreachable(logger, gate.Registry, reason);
        gate.MarkUnreachable(reason, options.UnreachableCooldown);
        return new RegistryException(RegistryErrorKind.Unreachable, gate.Registry, reason, inner);
    }

    private async ValueTask<AuthenticationHeaderValue?> AuthorizationAsync(
        string registry, RegistryChallenge? challenge, string scope, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            return null;
        }

        if (challenge.IsBasic)
        {
            return credential is null ? null : BasicHeader(credential);
        }

        var effectiveScope = scope.Length > 0 ? scope : challenge.Scope ?? "";
        var user = CacheIdentity(credential);
        if (tokens.Find(registry, effectiveScope, user) is { } cached)
        {
            return new AuthenticationHeaderValue("Bearer", cached);
        }

        // Parallel requests for the same scope share one token request.
        var key = (registry, effectiveScope, user);
        var fetch = tokenFetches.GetOrAdd(key, _ => new Lazy<Task<string>>(() => FetchTokenAsync(registry, challenge, effectiveScope, credential, cancellationToken)));
        try
        {
            return new AuthenticationHeaderValue("Bearer", await fetch.Value);
        }
        finally
        {
            tokenFetches.TryRemove(new KeyValuePair<(string, string, string), Lazy<Task<string>>>(key, fetch));
        }
    }

    private async Task<string> FetchTokenAsync(string registry, RegistryChallenge challenge, string scope, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        if (challenge.Service is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        if (scope.Length > 0)
        {
            query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        }

        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new RegistryException(RegistryErrorKind.Protocol, registry, $"{registry} names a token service that is not an http(s) URL: '{challenge.Realm}'.");
        }

        var builder = new UriBuilder(realm);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? query.ToString() : builder.Query.TrimStart('?') + "&" + query;
        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credential is not null)
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        var gate = Gate(registry);
        using var response = await SendOnceAsync(registry, gate, request, "token", cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            telemetry.RequestCompleted(registry, "token", RegistryOutcome.Unauthorized);
            throw credential is null
                ? new RegistryException(RegistryErrorKind.Unauthorized, registry, $"{registry} requires credentials: its token service ({realm.Host}) refused an anonymous token for {Describe(scope)}.")
                : new RegistryException(RegistryErrorKind.Unauthorized, registry, $"{registry} refused the credentials of '{credential.Username}': its token service ({realm.Host}) answered {(int)response.StatusCode} {ReasonOf(response)}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            telemetry.RequestCompleted(registry, "token", response.StatusCode == HttpStatusCode.TooManyRequests ? RegistryOutcome.RateLimited : RegistryOutcome.ServerError);
            throw new RegistryException(RegistryErrorKind.Protocol, registry, $"{registry}'s token service ({realm.Host}) answered {(int)response.StatusCode} {ReasonOf(response)}.");
        }

        var body = await ReadLimitedAsync(registry, response, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } tokenText
                ? tokenText
                : root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new JsonException("no token or access_token");
            }

            // The spec's default lifetime is 60 s; issued_at (RFC 3339) anchors it when present.
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromSeconds(60);
            var now = timeProvider.GetUtcNow();
            var issuedAt = root.TryGetProperty("issued_at", out var i) && i.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(i.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issued) && issued <= now
                ? issued
                : now;
            tokens.Store(registry, scope, CacheIdentity(credential), token, issuedAt, lifetime);
            telemetry.RequestCompleted(registry, "token", RegistryOutcome.Ok);
            Log.RegistryTokenFetched(logger, registry, scope, lifetime);
            return token;
        }
        catch (JsonException e)
        {
            telemetry.RequestCompleted(registry, "token", RegistryOutcome.Invalid);
            throw new RegistryException(RegistryErrorKind.Protocol, registry, $"{registry}'s token service ({realm.Host}) answered without a usable token ({e.Message}).", e);
        }
    }

    private void RecordRateLimit(string registry, RegistryGate gate, HttpResponseMessage response)
    {
        if (RateLimitHeaders.Read(response.Headers) is { } limit)
        {
            var previous = gate.RateLimitRemaining;
            gate.RecordRemaining(limit.Remaining, limit.Limit);
            telemetry.RateLimitObserved(registry, limit.Remaining, limit.Limit);
            if (previous != limit.Remaining && limit.Limit is { } max && limit.Remaining < max / 10)
            {
                Log.RegistryRateLimitRemaining(logger, registry, limit.Remaining);
            }
        }
    }

    private static RegistryException Unauthorized(string registry, string? repository, RegistryCredential? credential, string? error) =>
        new(RegistryErrorKind.Unauthorized, registry, credential is null
            ? $"{registry} requires credentials for {repository ?? "this registry"} (401 Unauthorized{(error is null ? "" : ": " + error)}); add them with POST /api/v1/registries/credentials."
            : $"{registry} refused the credentials of '{credential.Username}' for {repository ?? "this registry"} (401 Unauthorized{(error is null ? "" : ": " + error)}).");

    private TimeSpan Backoff(int attempt)
    {
        // Exponential with full jitter in [50 %, 100 %], so many checks do not retry in lock-step.
        var ceiling = options.BackoffBase * Math.Pow(2, attempt - 1);
        return ceiling * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    /// <summary>Tokens belong to a user and secret: a changed or wrong secret must never reuse a token.</summary>
    private static string CacheIdentity(RegistryCredential? credential) =>
        credential is null ? "" : credential.Username + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(credential.Secret)), 0, 8);

    private static bool SameScheme(RegistryChallenge a, RegistryChallenge b) => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase);

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")));

    private static async Task<byte[]> ReadLimitedAsync(string registry, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw new RegistryException(RegistryErrorKind.Protocol, registry, $"{registry} sent a {response.Content.Headers.ContentLength}-byte answer; manifests are at most {MaxManifestBytes} bytes.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxManifestBytes)
            {
                throw new RegistryException(RegistryErrorKind.Protocol, registry, $"{registry} sent more than {MaxManifestBytes} bytes for a manifest.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                && errors[0].TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return ": " + message.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or InvalidOperationException)
        {
        }

        return "";
    }

    private static string DescribeReference(string path)
    {
        var reference = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        return ContentDigest.IsValid(reference) ? $"manifest {reference}" : $"tag '{reference}'";
    }

    private static string ReasonOf(HttpResponseMessage response) => response.ReasonPhrase ?? response.StatusCode.ToString();

    private static string Describe(string scope) => scope.Length == 0 ? "the registry" : scope;

    private static string Describe(TimeSpan wait) =>
        wait < TimeSpan.FromSeconds(1) ? $"{wait.TotalMilliseconds:0} ms" : wait < TimeSpan.FromMinutes(2) ? $"{wait.TotalSeconds:0.#} s" : $"{wait.TotalMinutes:0} min";
}
