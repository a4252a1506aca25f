namespace Dialtone.Daemon.Calls;

/// <summary>How a call came to be (Twilio's <c>direction</c> values).</summary>
public enum CallDirection
{
    /// <summary>Created through the REST API: <c>outbound-api</c>.</summary>
    OutboundApi,

    /// <summary>A B-leg dialed by a voice application's <c>&lt;Dial&gt;</c>: <c>outbound-dial</c>.</summary>
    OutboundDial,
}
