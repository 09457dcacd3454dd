using System.Diagnostics;
using Harbor.Testing;

namespace Harbor.Bench;

/// <summary>
/// What security costs a user: sign-in time (the deliberately slow password hash), the per-request
/// overhead of checking a session or an API key against SQLite, and how long an agent takes to enroll.
/// Real controller on real ports with a real SQLite file.
/// </summary>
internal static class AuthBenchmark
{
    private const int Requests = 2000;

    public static async Task RunAsync()
    {
        using var data = new TempDirectory("bench-auth");
        await using var controller = await ControllerHost.StartAsync(data.Path);
        await controller.CreateUserAsync("runner", "a benchmark passphrase", "viewer");
        using var session = await controller.SignInAsync("runner", "a benchmark passphrase");
        using var key = await controller.ApiKeyClientAsync("read");

        var signIns = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            using var client = await controller.SignInAsync("runner", "a benchmark passphrase");
            signIns.Add(watch.Elapsed.TotalMilliseconds);
        }

        Report("sign-in (PBKDF2 + session row)", signIns);
        Report("GET /health, anonymous (baseline)", await TimeAsync(controller.Anonymous, "/health"));
        Report("GET /api/v1/hosts, API key", await TimeAsync(key, "/api/v1/hosts"));
        Report("GET /api/v1/hosts, session cookie", await TimeAsync(session, "/api/v1/hosts"));

        var enrollments = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            await controller.EnrollAgentAsync($"bench-agent-{i}");
            enrollments.Add(watch.Elapsed.TotalMilliseconds);
        }

        Report("agent enrollment (token via API, CA fetch, CSR, TLS)", enrollments);
    }

    private static async Task<List<double>> TimeAsync(HttpClient client, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            (await client.GetAsync(path)).Dispose();
        }

        var times = new List<double>(Requests);
        for (var i = 0; i < Requests; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static void Report(string what, List<double> milliseconds)
    {
        milliseconds.Sort();
        double At(double q) => milliseconds[(int)Math.Min(milliseconds.Count - 1, Math.Round(q * (milliseconds.Count - 1)))];
        Console.WriteLine($"{what,-55} n={milliseconds.Count,5}  p50 {At(0.5),7:0.00} ms  p95 {At(0.95),7:0.00} ms  max {milliseconds[^1],7:0.00} ms");
    }
}
