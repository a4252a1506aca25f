namespace Dialtone.Engine.Sip.Message;

/// <summary>What <see cref="SipStreamFramer.Read"/> found at the start of the buffer.</summary>
public enum SipFrameStatus : byte
{
    /// <summary>Not enough bytes yet; read more and call again with the same start.</summary>
    NeedMoreData = 0,
    /// <summary>A complete message of <see cref="SipFrame.Length"/> bytes.</summary>
    Message,
    /// <summary>A double-CRLF keep-alive ping (RFC 5626 §3.5.1): answer with a single CRLF.</summary>
    Ping,
    /// <summary>A single-CRLF keep-alive pong (RFC 5626 §3.5.1), or a stray CRLF before a start line (RFC 3261 §7.5).</summary>
    Pong,
    /// <summary>The stream is unusable (framing error): close the connection.</summary>
    Error,
}
