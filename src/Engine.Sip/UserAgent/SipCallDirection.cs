namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>Which side sent the INVITE.</summary>
public enum SipCallDirection : byte
{
    /// <summary>We sent the INVITE (we are the UAC of the call).</summary>
    Outgoing,

    /// <summary>The peer sent the INVITE (we are the UAS of the call).</summary>
    Incoming,
}
