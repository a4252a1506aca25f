namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>A request as the test server received it.</summary>
public sealed record TestHttpRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Path => Target.Split('?')[0];

    public string Query => Target.Contains('?') ? Target[(Target.IndexOf('?') + 1)..] : string.Empty;

    /// <summary>The form fields: the body for POST, the query for GET.</summary>
    public IReadOnlyDictionary<string, string> Form => ParseForm(Method == "POST" ? Body : Query);

    public static IReadOnlyDictionary<string, string> ParseForm(string encoded)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            result[key] = value;
        }
        return result;
    }
}
