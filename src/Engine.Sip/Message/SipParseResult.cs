namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// The outcome of parsing or framing: success, or an error code with the byte offset where the
/// problem was found and a fixed, human-readable reason (no allocation).
/// </summary>
public readonly struct SipParseResult
{
    private SipParseResult(SipParseError error, int offset)
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>A successful result.</summary>
    public static SipParseResult Success => default;

    /// <summary>Creates a failed result.</summary>
    public static SipParseResult Fail(SipParseError error, int offset) => new(error, offset);

    /// <summary>The error, or <see cref="SipParseError.None"/>.</summary>
    public SipParseError Error { get; }

    /// <summary>True when the message parsed.</summary>
    public bool IsSuccess => Error == SipParseError.None;

    /// <summary>Byte offset in the input where the error was detected (0 on success).</summary>
    public int Offset { get; }

    /// <summary>A fixed description of the error.</summary>
    public string Reason => Describe(Error);

    /// <summary>A fixed description of an error code.</summary>
    public static string Describe(SipParseError error) => error switch
    {
        SipParseError.None => "ok",
        SipParseError.Empty => "empty message",
        SipParseError.InvalidStartLine => "start line is neither a request line nor a status line",
        SipParseError.InvalidMethod => "method is not a token",
        SipParseError.InvalidRequestUri => "Request-URI is empty or malformed",
        SipParseError.InvalidVersion => "SIP version is malformed",
        SipParseError.InvalidStatusCode => "status code is not three digits",
        SipParseError.InvalidLineEnding => "line not terminated by CRLF",
        SipParseError.InvalidCharacter => "control character in start line or headers",
        SipParseError.InvalidUtf8 => "start line or headers are not valid UTF-8",
        SipParseError.MissingColon => "header line without a colon",
        SipParseError.InvalidHeaderName => "header name is empty or not a token",
        SipParseError.UnexpectedContinuation => "continuation line before the first header",
        SipParseError.TooManyHeaders => "too many header lines",
        SipParseError.UnterminatedHeaders => "headers not terminated by an empty line",
        SipParseError.InvalidContentLength => "Content-Length is not a valid number",
        SipParseError.ConflictingContentLength => "Content-Length appears with different values",
        SipParseError.ContentLengthExceedsData => "Content-Length is larger than the data received",
        SipParseError.MissingContentLength => "Content-Length is required on stream transports",
        SipParseError.MessageTooLarge => "message exceeds the maximum size",
        _ => "unknown error",
    };

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? "ok" : $"{Reason} at offset {Offset}";
}
