using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>The spine's shared agent token, sent as <c>authorization: Bearer …</c> call metadata.</summary>
internal sealed class SharedTokenCredentials(IOptions<AgentOptions> options) : IControllerCredentials
{
    private readonly Lazy<string?> token = new(() => ReadToken(options.Value));

    public Metadata CreateCallHeaders()
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(token.Value))
        {
            headers.Add("authorization", "Bearer " + token.Value);
        }

        return headers;
    }

    private static string? ReadToken(AgentOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Token))
        {
            return settings.Token.Trim();
        }

        return string.IsNullOrWhiteSpace(settings.TokenFile) ? null : File.ReadAllText(settings.TokenFile).Trim();
    }
}
