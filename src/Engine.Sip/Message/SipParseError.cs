namespace Dialtone.Engine.Sip.Message;

/// <summary>Why a message could not be parsed or framed.</summary>
public enum SipParseError : byte
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The input is empty.</summary>
    Empty,
    /// <summary>The start line is neither a Request-Line nor a Status-Line (RFC 3261 §7.1, §7.2).</summary>
    InvalidStartLine,
    /// <summary>The method is not a token (RFC 3261 §25.1 Method).</summary>
    InvalidMethod,
    /// <summary>The Request-URI is empty or holds whitespace (RFC 3261 §7.1).</summary>
    InvalidRequestUri,
    /// <summary>The version is not SIP/digits.digits (RFC 3261 §7.1).</summary>
    InvalidVersion,
    /// <summary>The status code is not three digits (RFC 3261 §7.2).</summary>
    InvalidStatusCode,
    /// <summary>A CR not followed by LF, or an LF not preceded by CR (RFC 3261 §7: lines end with CRLF).</summary>
    InvalidLineEnding,
    /// <summary>A control byte (NUL and the like) in the start line or headers.</summary>
    InvalidCharacter,
    /// <summary>The start line or headers are not valid UTF-8 (RFC 3261 §7.3.1 TEXT-UTF8).</summary>
    InvalidUtf8,
    /// <summary>A header line without a colon.</summary>
    MissingColon,
    /// <summary>A header name that is empty or not a token.</summary>
    InvalidHeaderName,
    /// <summary>A continuation line (starting with SP/HTAB) before the first header.</summary>
    UnexpectedContinuation,
    /// <summary>More header lines than the message was configured to index.</summary>
    TooManyHeaders,
    /// <summary>The input ends before the empty line that closes the headers.</summary>
    UnterminatedHeaders,
    /// <summary>Content-Length is not 1*DIGIT or is out of range (RFC 3261 §20.14).</summary>
    InvalidContentLength,
    /// <summary>Several Content-Length values that disagree.</summary>
    ConflictingContentLength,
    /// <summary>Content-Length promises more bytes than were received (RFC 3261 §18.3).</summary>
    ContentLengthExceedsData,
    /// <summary>A message on a stream transport without Content-Length (RFC 3261 §18.3).</summary>
    MissingContentLength,
    /// <summary>The message is larger than the configured maximum.</summary>
    MessageTooLarge,
}
