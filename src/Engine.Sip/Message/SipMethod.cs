namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// The SIP methods the engine knows by name (RFC 3261 §7.1 plus the extensions it speaks).
/// Any other method token parses as <see cref="Extension"/>; its text stays available as a span.
/// </summary>
public enum SipMethod : byte
{
    /// <summary>A method token not listed here (RFC 3261 §7.1 extension-method).</summary>
    Extension = 0,
    /// <summary>INVITE (RFC 3261).</summary>
    Invite,
    /// <summary>ACK (RFC 3261).</summary>
    Ack,
    /// <summary>BYE (RFC 3261).</summary>
    Bye,
    /// <summary>CANCEL (RFC 3261).</summary>
    Cancel,
    /// <summary>OPTIONS (RFC 3261).</summary>
    Options,
    /// <summary>REGISTER (RFC 3261).</summary>
    Register,
    /// <summary>PRACK (RFC 3262).</summary>
    Prack,
    /// <summary>UPDATE (RFC 3311).</summary>
    Update,
    /// <summary>INFO (RFC 6086).</summary>
    Info,
    /// <summary>SUBSCRIBE (RFC 6665).</summary>
    Subscribe,
    /// <summary>NOTIFY (RFC 6665).</summary>
    Notify,
    /// <summary>REFER (RFC 3515).</summary>
    Refer,
    /// <summary>MESSAGE (RFC 3428).</summary>
    Message,
    /// <summary>PUBLISH (RFC 3903).</summary>
    Publish,
}
