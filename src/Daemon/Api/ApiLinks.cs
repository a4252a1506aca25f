namespace Dialtone.Daemon.Api;

/// <summary>
/// Absolute URLs of the API's own resources (RecordingUrl). The base is Api:PublicUrl, else the
/// address Kestrel actually bound (known only once it listens: port 0 in tests).
/// </summary>
public sealed class ApiLinks(string? configuredPublicUrl)
{
    private volatile string? _base = configuredPublicUrl?.TrimEnd('/');

    public string BaseUrl => _base ?? throw new InvalidOperationException("the API is not listening yet");

    /// <summary>Sets the base from the bound address, unless one was configured.</summary>
    public void Bound(string listenAddress)
    {
        _base ??= listenAddress.TrimEnd('/');
    }

    public static string CallPath(string callSid) => "/v1/calls/" + callSid;

    public static string TwilioCallPath(string accountSid, string callSid) => $"/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json";

    public string RecordingUrl(string callSid) => $"{BaseUrl}/v1/recordings/{callSid}.wav";

    /// <summary>The URL of one &lt;Record&gt; take of a call.</summary>
    public string TakeUrl(string callSid, string recordingSid) => $"{BaseUrl}/v1/calls/{callSid}/recordings/{recordingSid}.wav";
}
