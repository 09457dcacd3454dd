using System.Globalization;
using System.Text.Json.Nodes;
using Harbor.Agent.Docker;
using Google.Protobuf.WellKnownTypes;
using Harbor.Agent.Journal;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// Decides whether a freshly started container works: healthy when it has a healthcheck, otherwise
/// running without a restart for the stability window; then the optional HTTP probe. Throws
/// <see cref="JobFailure"/> with the reason as soon as the answer is no.
/// </summary>
internal sealed class ContainerVerifier(IDockerEngine engine, IOptions<UpdateOptions> options, TimeProvider timeProvider) : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient probe = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// Returns what passed, e.g. "healthy after 3.1 s". Each phase (healthcheck wait or stability window, then
    /// the HTTP probe) is announced on <paramref name="reporter"/> with its plan as it starts. The plans are not
    /// journaled: they only feed the live countdown, and recovery never resumes a verification.
    /// </summary>
    public async Task<string> VerifyAsync(JobRecord job, string containerId, JobReporter reporter, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = timeProvider.GetTimestamp();
        var first = await InspectAsync(containerId, cancellationToken);
        // A new container starts with no restarts: any restart, even one before this first look, fails it.
        var baseline = new Baseline(Text(first["State"]?["StartedAt"]), RestartCount: 0);
        CheckStillRunning(first, baseline);
        string passed;

        var healthcheck = first["Config"]?["Healthcheck"];
        if (HealthWait.IsDefined(healthcheck))
        {
            var cap = job.HealthTimeoutCapMs > 0 ? TimeSpan.FromMilliseconds(job.HealthTimeoutCapMs) : settings.HealthTimeoutCap;
            var wait = HealthWait.Derive(healthcheck, cap);
            Announce(reporter, VerificationKind.Healthcheck, wait, null, $"waiting up to {Seconds(wait)} for the healthcheck to report healthy");
            await WaitHealthyAsync(containerId, baseline, wait, cancellationToken);
            passed = $"healthy after {Seconds(timeProvider.GetElapsedTime(started))}";
        }
        else
        {
            var window = job.StabilityWindowMs switch
            {
                > 0 => TimeSpan.FromMilliseconds(job.StabilityWindowMs),
                < 0 => TimeSpan.Zero,
                _ => settings.StabilityWindow,
            };
            Announce(reporter, VerificationKind.Stability, window, null,
                window > TimeSpan.Zero ? $"the container must keep running for {Seconds(window)}" : "checking that the container runs");
            await WaitStableAsync(containerId, baseline, window, cancellationToken);
            passed = window > TimeSpan.Zero ? $"kept running for {Seconds(window)}" : "running";
        }

        var url = ProbeUrl(job.HttpProbeUrl, first);
        if (url is not null)
        {
            Announce(reporter, VerificationKind.HttpProbe, settings.HttpProbeTimeout, url, $"probing {url} for up to {Seconds(settings.HttpProbeTimeout)}");
            await ProbeAsync(containerId, baseline, url, settings.HttpProbeTimeout, cancellationToken);
            passed += $"; {url} answered";
        }

        return passed;
    }

    public void Dispose() => probe.Dispose();

    private void Announce(JobReporter reporter, VerificationKind kind, TimeSpan window, Uri? url, string message) =>
        reporter.Verifying(
            new VerificationPlan
            {
                Kind = kind,
                WindowMs = (long)window.TotalMilliseconds,
                StartedAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
                Url = url?.ToString() ?? "",
            },
            message);

    private async Task WaitHealthyAsync(string containerId, Baseline baseline, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetTimestamp();
        while (true)
        {
            var container = await InspectAsync(containerId, cancellationToken);
            CheckStillRunning(container, baseline);
            var health = container["State"]?["Health"];
            switch (Text(health?["Status"]))
            {
                case "healthy":
                    return;
                case "unhealthy":
                    throw new JobFailure("unhealthy", $"The new container's healthcheck reported unhealthy{LastProbeOutput(health)}.");
            }

            if (timeProvider.GetElapsedTime(deadline) >= wait)
            {
                throw new JobFailure("health_timeout",
                    $"The new container was not healthy within {Seconds(wait)} (derived from its healthcheck settings, capped by HealthTimeoutCap).");
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    private async Task WaitStableAsync(string containerId, Baseline baseline, TimeSpan window, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            CheckStillRunning(await InspectAsync(containerId, cancellationToken), baseline);
            var remaining = window - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(remaining < PollInterval ? remaining : PollInterval, timeProvider, cancellationToken);
        }
    }

    private async Task ProbeAsync(string containerId, Baseline baseline, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var last = "no answer";
        while (timeProvider.GetElapsedTime(started) < timeout)
        {
            CheckStillRunning(await InspectAsync(containerId, cancellationToken), baseline);
            try
            {
                using var response = await probe.GetAsync(url, cancellationToken);
                if ((int)response.StatusCode is >= 200 and < 400)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e.GetBaseException().Message;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
        }

        throw new JobFailure("probe_failed", $"The HTTP probe {url} did not answer 2xx/3xx within {Seconds(timeout)} (last: {last}).");
    }

    private async Task<JsonObject> InspectAsync(string containerId, CancellationToken cancellationToken) =>
        await engine.InspectContainerJsonAsync(containerId, cancellationToken)
            ?? throw new JobFailure("vanished", "The new container disappeared while it was being verified.");

    private static void CheckStillRunning(JsonObject container, Baseline baseline)
    {
        var state = container["State"];
        var status = Text(state?["Status"]);
        if (status is "exited" or "dead" or "created")
        {
            var error = Text(state?["Error"]);
            throw new JobFailure("exited",
                $"The new container exited with code {Number(state?["ExitCode"])}{(Flag(state?["OOMKilled"]) ? " (killed: out of memory)" : "")}" +
                $"{(error.Length > 0 ? ": " + error : "")}.");
        }

        var restarts = Number(container["RestartCount"]);
        if (status == "restarting" || restarts != baseline.RestartCount || Text(state?["StartedAt"]) != baseline.StartedAt)
        {
            throw new JobFailure("restarted", $"The new container restarted (restart count {restarts}): it does not keep running.");
        }
    }

    /// <summary>The job's URL, else the label's. ":port/path" means the container's own address.</summary>
    internal static Uri? ProbeUrl(string? fromJob, JsonObject container)
    {
        var text = !string.IsNullOrWhiteSpace(fromJob) ? fromJob : Text(container["Config"]?["Labels"]?[HarborLabels.VerifyHttp]);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.StartsWith(':'))
        {
            var address = (container["NetworkSettings"]?["Networks"] as JsonObject)?
                .Select(n => Text(n.Value?["IPAddress"]))
                .FirstOrDefault(ip => ip.Length > 0);
            if (address is null)
            {
                throw new JobFailure("probe_failed", $"The {HarborLabels.VerifyHttp} label '{text}' needs the container's address, but it has none on any network.");
            }

            text = $"http://{address}{text}";
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new JobFailure("probe_failed", $"'{text}' is not an http(s) URL to probe.");
    }

    private static string LastProbeOutput(JsonNode? health)
    {
        var log = health?["Log"] as JsonArray;
        var output = log is { Count: > 0 } ? Text(log[^1]?["Output"]).Trim() : "";
        return output.Length == 0 ? "" : $" (last check: {(output.Length > 200 ? output[..200] + "…" : output)})";
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private sealed record Baseline(string StartedAt, long RestartCount);
}
