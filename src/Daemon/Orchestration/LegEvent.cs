using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Daemon.Orchestration;

/// <summary>Something that happened to a leg on the SIP side, handed from SIP threads to the call's own task, in order.</summary>
public abstract record LegEvent
{
    /// <summary>180/183 (with early media when the SDP could be used).</summary>
    public sealed record Ringing(int StatusCode) : LegEvent;

    /// <summary>The 2xx arrived and was ACKed; the media is connected when <see cref="MediaError"/> is null.</summary>
    public sealed record Answered(string? MediaError) : LegEvent;

    /// <summary>The call never got answered.</summary>
    public sealed record Failed(SipCallEnd End) : LegEvent;

    /// <summary>An answered call is over.</summary>
    public sealed record Ended(SipCallEnd End) : LegEvent;
}
