namespace Harbor.Controller.Notifications;

/// <summary>
/// Turns a Shoutrrr URL (what Watchtower users have in WATCHTOWER_NOTIFICATION_URL) into a channel
/// type and settings. Parsed by hand rather than with <see cref="Uri"/>, which lower-cases the host
/// part and several services keep case-sensitive tokens there.
/// </summary>
internal static class ShoutrrrUrl
{
    public static readonly IReadOnlyList<string> Schemes = ["slack", "discord", "generic", "generic+https", "generic+http", "ntfy", "gotify", "teams", "telegram", "smtp"];

    private static readonly HashSet<string> ShoutrrrOnlyParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "template", "contenttype", "disabletls", "method", "messagekey", "titlekey", "title",
    };

    /// <summary>The channel the URL describes, or why it cannot be imported.</summary>
    public static (string? Type, Dictionary<string, string>? Settings, string? Problem) Parse(string url)
    {
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return Fail("This is not a Shoutrrr URL (expected service://…).");
        }

        var scheme = url[..separator].ToLowerInvariant();
        var rest = url[(separator + 3)..];
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var rawQuery = "";
        if (queryStart >= 0)
        {
            rawQuery = rest[(queryStart + 1)..];
            rest = rest[..queryStart];
            foreach (var pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query[Unescape(eq < 0 ? pair : pair[..eq])] = eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? [] : rest[(slash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Unescape).ToArray();
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? null : authority[..at];
        var host = at < 0 ? authority : authority[(at + 1)..];
        string? user = null, password = null;
        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Unescape(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Unescape(userInfo[(colon + 1)..]);
        }

        return scheme switch
        {
            "slack" => Slack(user, password, host, path),
            "discord" => user is { Length: > 0 } && host.Length > 0
                ? Ok("discord", new() { ["url"] = $"https://discord.com/api/webhooks/{host}/{user}" })
                : Fail("A Discord URL looks like discord://<token>@<webhook id>."),
            "generic" or "generic+https" or "generic+http" => Generic(scheme, rest, rawQuery, query),
            "ntfy" => Ntfy(user, password, host, path, query),
            "gotify" => Gotify(host, path, query),
            "teams" => Teams(user, host, path, query),
            "telegram" => Telegram(userInfo is null ? null : Unescape(userInfo), query),
            "smtp" => Smtp(user, password, host, query),
            _ => Fail($"Harbor cannot import '{scheme}://' URLs. Supported: {string.Join(", ", Schemes.Select(s => s + "://"))}."),
        };
    }

    private static (string?, Dictionary<string, string>?, string?) Slack(string? user, string? password, string host, string[] path)
    {
        // slack://hook:<A-B-C>@webhook (current) or slack://[botname@]<A>/<B>/<C> (legacy).
        string[] tokens = user is "hook" && password is not null
            ? password.Split('-', '/')
            : [host, .. path];
        if (user is "xoxb" or "xoxp")
        {
            return Fail("Slack bot tokens (xoxb/xoxp) are not supported; create an incoming webhook and import slack://hook:<token>@webhook.");
        }

        return tokens.Length == 3 && tokens.All(t => t.Length > 0)
            ? Ok("slack", new() { ["url"] = $"https://hooks.slack.com/services/{tokens[0]}/{tokens[1]}/{tokens[2]}" })
            : Fail("A Slack URL looks like slack://hook:<A-B-C>@webhook or slack://<A>/<B>/<C> (the three parts of the incoming webhook URL).");
    }

    private static (string?, Dictionary<string, string>?, string?) Generic(string scheme, string rest, string rawQuery, Dictionary<string, string> query)
    {
        var insecure = scheme == "generic+http" || (scheme == "generic" && query.GetValueOrDefault("disabletls") is "yes" or "true");
        var kept = rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !ShoutrrrOnlyParameters.Contains(Unescape(p.Split('=')[0])) && !p.StartsWith('@'));
        var target = (insecure ? "http://" : "https://") + rest + (kept.Any() ? "?" + string.Join('&', kept) : "");
        return Uri.TryCreate(target, UriKind.Absolute, out _) && rest.Length > 0
            ? Ok("webhook", new() { ["url"] = target })
            : Fail("A generic webhook URL looks like generic+https://host/path.");
    }

    private static (string?, Dictionary<string, string>?, string?) Ntfy(string? user, string? password, string host, string[] path, Dictionary<string, string> query)
    {
        if (path.Length == 0)
        {
            return Fail("An ntfy URL looks like ntfy://[user:password@]host/topic.");
        }

        var scheme = query.GetValueOrDefault("scheme") is "http" ? "http" : "https";
        var settings = new Dictionary<string, string>
        {
            ["url"] = $"{scheme}://{(host.Length == 0 ? "ntfy.sh" : host)}{string.Concat(path[..^1].Select(p => "/" + p))}",
            ["topic"] = path[^1],
        };
        if (user is { Length: > 0 })
        {
            settings["username"] = user;
            settings["password"] = password ?? "";
        }
        else if (password is { Length: > 0 })
        {
            settings["token"] = password;
        }

        if (query.TryGetValue("priority", out var priority) && NtfyPriority(priority) is { } level)
        {
            settings["priority"] = level;
        }

        return Ok("ntfy", settings);
    }

    private static string? NtfyPriority(string value) => value.ToLowerInvariant() switch
    {
        "1" or "min" => "1",
        "2" or "low" => "2",
        "3" or "default" => "3",
        "4" or "high" => "4",
        "5" or "max" or "urgent" => "5",
        _ => null,
    };

    private static (string?, Dictionary<string, string>?, string?) Gotify(string host, string[] path, Dictionary<string, string> query)
    {
        if (host.Length == 0 || path.Length == 0)
        {
            return Fail("A Gotify URL looks like gotify://host[:port][/path]/<token>.");
        }

        var scheme = query.GetValueOrDefault("disabletls") is "yes" or "true" ? "http" : "https";
        var settings = new Dictionary<string, string>
        {
            ["url"] = $"{scheme}://{host}{string.Concat(path[..^1].Select(p => "/" + p))}",
            ["token"] = path[^1],
        };
        if (query.TryGetValue("priority", out var priority) && int.TryParse(priority, out var level) && level is >= 0 and <= 10)
        {
            settings["priority"] = priority;
        }

        return Ok("gotify", settings);
    }

    private static (string?, Dictionary<string, string>?, string?) Teams(string? group, string tenant, string[] path, Dictionary<string, string> query)
    {
        // teams://<group>@<tenant>/<altId>/<groupOwner>?host=<org>.webhook.office.com
        if (group is not { Length: > 0 } || tenant.Length == 0 || path.Length < 2)
        {
            return Fail("A Teams URL looks like teams://<group>@<tenant>/<altId>/<groupOwner>?host=<org>.webhook.office.com.");
        }

        var host = query.GetValueOrDefault("host") is { Length: > 0 } h ? h : "outlook.office.com";
        var extra = path.Length > 2 ? "/" + path[2] : "";
        return Ok("teams", new() { ["url"] = $"https://{host}/webhookb2/{group}@{tenant}/IncomingWebhook/{path[0]}/{path[1]}{extra}" });
    }

    private static (string?, Dictionary<string, string>?, string?) Telegram(string? token, Dictionary<string, string> query)
    {
        var chats = (query.GetValueOrDefault("chats") ?? query.GetValueOrDefault("channels") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (token is not { Length: > 0 } || chats.Length == 0)
        {
            return Fail("A Telegram URL looks like telegram://<bot token>@telegram?chats=<chat id or @channel>.");
        }

        return chats.Length > 1
            ? Fail("This URL names several Telegram chats; import one URL per chat (each becomes its own channel).")
            : Ok("telegram", new() { ["token"] = token, ["chatId"] = chats[0] });
    }

    private static (string?, Dictionary<string, string>?, string?) Smtp(string? user, string? password, string host, Dictionary<string, string> query)
    {
        // smtp://[user:password@]host[:port]/?from=a@b&to=c@d,e@f[&encryption=ExplicitTLS|ImplicitTLS|None|Auto&usestarttls=yes|no&fromname=Harbor]
        var colon = host.LastIndexOf(':');
        var port = colon > 0 && !host.EndsWith(']') ? host[(colon + 1)..] : null;
        host = port is null ? host : host[..colon];
        if (host.Length == 0 || query.GetValueOrDefault("from") is not { Length: > 0 } from || query.GetValueOrDefault("to") is not { Length: > 0 } to)
        {
            return Fail("An SMTP URL looks like smtp://[user:password@]host[:port]/?from=harbor@example.org&to=you@example.org[,other@example.org].");
        }

        var security = query.GetValueOrDefault("encryption")?.ToLowerInvariant() switch
        {
            "implicittls" => "tls",
            "explicittls" => "starttls",
            "none" => query.GetValueOrDefault("usestarttls")?.ToLowerInvariant() is "yes" or "true" ? "starttls" : "none",
            // Shoutrrr's Auto: implicit TLS on 465, otherwise STARTTLS unless turned off.
            _ => port == "465" ? "tls" : query.GetValueOrDefault("usestarttls")?.ToLowerInvariant() is "no" or "false" ? "none" : "starttls",
        };
        var settings = new Dictionary<string, string>
        {
            ["host"] = host.Trim('[', ']'),
            ["security"] = security,
            ["from"] = query.GetValueOrDefault("fromname") is { Length: > 0 } name ? $"\"{name.Replace("\"", "", StringComparison.Ordinal)}\" <{from}>" : from,
            ["to"] = to,
        };
        if (port is not null)
        {
            settings["port"] = port;
        }

        if (user is { Length: > 0 })
        {
            settings["username"] = user;
            settings["password"] = password ?? "";
        }

        return Ok("email", settings);
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    private static (string?, Dictionary<string, string>?, string?) Ok(string type, Dictionary<string, string> settings) => (type, settings, null);

    private static (string?, Dictionary<string, string>?, string?) Fail(string problem) => (null, null, problem);
}
