namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>Where a call stands.</summary>
public enum SipCallState : byte
{
    /// <summary>Outgoing: resolving the trunk or sending the INVITE, nothing heard yet.</summary>
    Calling,

    /// <summary>Outgoing: 100 Trying received.</summary>
    Proceeding,

    /// <summary>Outgoing: 180/183 received. Incoming: 180/183 sent.</summary>
    Ringing,

    /// <summary>Incoming: the INVITE arrived and nothing was answered yet.</summary>
    Incoming,

    /// <summary>A 2xx was received (outgoing) or sent (incoming): the call is up.</summary>
    Answered,

    /// <summary>We sent BYE and wait for its answer.</summary>
    Ending,

    /// <summary>Over; <see cref="SipCall.End"/> says how.</summary>
    Ended,
}
