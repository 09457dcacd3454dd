using System.Net.Sockets;

namespace Harbor.Bench;

/// <summary>
/// Raw Engine API calls over the unix socket, so a benchmark can time Harbor from the instant the
/// engine finished an operation (the docker CLI adds a few hundred ms of its own start-up).
/// </summary>
internal sealed class EngineApi : IDisposable
{
    private readonly HttpClient http;

    public EngineApi(string socketPath = "/var/run/docker.sock")
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        http = new HttpClient(handler) { BaseAddress = new Uri("http://docker") };
    }

    public async Task StartAsync(string container)
    {
        using var response = await http.PostAsync($"/containers/{container}/start", content: null);
        response.EnsureSuccessStatusCode();
    }

    public async Task StopAsync(string container)
    {
        using var response = await http.PostAsync($"/containers/{container}/stop?t=0", content: null);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();
}
