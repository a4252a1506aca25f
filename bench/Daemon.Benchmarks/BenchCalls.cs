using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Benchmarks;

/// <summary>The call the daemon benchmarks work on: an outbound call subscribed to every status event.</summary>
internal static class BenchCalls
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    /// <summary>A queued call of node 1 reporting to <paramref name="statusCallback"/>.</summary>
    public static CallRecord Queued(string sid, string statusCallback, string? optional = null) => new()
    {
        Sid = sid,
        AccountSid = AccountSid,
        NodeId = 1,
        Request = new CallRequest
        {
            From = "+15005550100",
            To = "+15550006908",
            Url = "http://127.0.0.1:18091/app.xml",
            StatusCallback = statusCallback,
            StatusCallbackEvents = CallEvent.Initiated | CallEvent.Ringing | CallEvent.Answered | CallEvent.Completed,
            Optional = optional,
        },
    };
}
