namespace Dialtone.Engine.Sip.Message;

/// <summary>How the bytes given to <see cref="SipMessage.Parse(ReadOnlyMemory{byte}, SipFraming)"/> were delimited.</summary>
public enum SipFraming : byte
{
    /// <summary>
    /// A UDP datagram is one message. RFC 3261 §18.3: without Content-Length the body is the rest
    /// of the datagram; bytes past Content-Length are ignored; a Content-Length larger than the
    /// datagram is an error.
    /// </summary>
    Datagram = 0,

    /// <summary>
    /// A message cut from a stream by <see cref="SipStreamFramer"/>: Content-Length is mandatory
    /// (RFC 3261 §18.3).
    /// </summary>
    Stream = 1,
}
