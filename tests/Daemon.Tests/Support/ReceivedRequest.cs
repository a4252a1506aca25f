namespace Dialtone.Daemon.Tests.Support;

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Url">The full URL as the receiver saw it (scheme, host, port, path, query).</param>
/// <param name="Query">Query parameters, in order.</param>
/// <param name="Form">Body fields, in order (POST).</param>
/// <param name="Headers">Request headers (first value each).</param>
/// <param name="StatusReturned">What the receiver answered.</param>
public sealed record ReceivedRequest(
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    IReadOnlyDictionary<string, string> Headers,
    int StatusReturned)
{
    /// <summary>The fields whichever way they came: the form for POST, the query for GET.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => Method == "GET" ? Query : Form;

    public string? Field(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;

    public string? QueryValue(string name) => Query.FirstOrDefault(f => f.Key == name).Value;
}
