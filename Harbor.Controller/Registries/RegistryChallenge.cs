using System.Text;

namespace Harbor.Controller.Registries;

/// <summary>
/// One challenge from a <c>WWW-Authenticate</c> header (RFC 7235): a scheme (<c>Basic</c>, <c>Bearer</c>)
/// and its parameters, e.g. <c>Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"</c>.
/// </summary>
internal sealed record RegistryChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>
    /// Parses every challenge in the header values. Quoted values may hold commas, '=' and
    /// backslash escapes; parameter names are case-insensitive. Garbage yields no challenge rather than an exception.
    /// </summary>
    public static IReadOnlyList<RegistryChallenge> Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<RegistryChallenge>();
        foreach (var value in headerValues)
        {
            ParseInto(value, challenges);
        }

        return challenges;
    }

    public static IReadOnlyList<RegistryChallenge> Parse(string headerValue) => Parse([headerValue]);

    private static void ParseInto(string text, List<RegistryChallenge> challenges)
    {
        var position = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        void Flush()
        {
            if (scheme is not null)
            {
                challenges.Add(new RegistryChallenge(scheme, parameters));
            }

            parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            scheme = null;
        }

        while (position < text.Length)
        {
            SkipSeparators(text, ref position);
            var token = ReadToken(text, ref position);
            if (token.Length == 0)
            {
                // Not a token character where one must be: skip it so the parser always moves on.
                position++;
                continue;
            }

            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == '=')
            {
                // Either an auth-param or token68 padding ("abc==").
                position++;
                SkipSpaces(text, ref position);
                string value;
                if (position < text.Length && text[position] == '"')
                {
                    value = ReadQuoted(text, ref position);
                }
                else
                {
                    value = ReadToken(text, ref position);
                }

                if (scheme is not null)
                {
                    parameters[token] = value;
                }
            }
            else
            {
                // A bare token after a complete challenge starts a new challenge.
                Flush();
                scheme = token;
            }
        }

        Flush();
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }
    }

    private static void SkipSeparators(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t' or ',')
        {
            position++;
        }
    }

    private static string ReadToken(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && IsTokenChar(text[position]))
        {
            position++;
        }

        return text[start..position];
    }

    private static string ReadQuoted(string text, ref int position)
    {
        position++; // opening quote
        var value = new StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                break;
            }

            if (c == '\\' && position < text.Length)
            {
                c = text[position++];
            }

            value.Append(c);
        }

        return value.ToString();
    }

    // RFC 7230 tchar, plus '/' and ':' which real registries put unquoted in realm URLs.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' or '/' or ':';
}
