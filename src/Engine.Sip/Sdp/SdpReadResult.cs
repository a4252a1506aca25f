namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// The outcome of <see cref="SdpReader.Read(ReadOnlySpan{byte}, Span{SdpLine}, out SdpSession)"/>: success,
/// or the error and the 1-based line it was found on. No exceptions: hostile bodies are expected input.
/// </summary>
public readonly struct SdpReadResult
{
    internal SdpReadResult(SdpError error, int lineNumber)
    {
        Error = error;
        LineNumber = lineNumber;
    }

    /// <summary>What was wrong, or <see cref="SdpError.None"/>.</summary>
    public SdpError Error { get; }

    /// <summary>The 1-based line number of the offending line (0 when the error is not about one line).</summary>
    public int LineNumber { get; }

    /// <summary>True when the body was read and the session view is usable.</summary>
    public bool Success => Error == SdpError.None;

    /// <summary>A short sentence for logs; a constant string, so reading it allocates nothing.</summary>
    public string Reason => Error switch
    {
        SdpError.None => "ok",
        SdpError.Empty => "the session description is empty",
        SdpError.MissingVersion => "the first line is not v=",
        SdpError.UnsupportedVersion => "v= is not 0",
        SdpError.MalformedLine => "the line is not <letter>=<value>",
        SdpError.IllegalCharacter => "the line contains NUL or a bare CR",
        SdpError.LineTooLong => "the line is longer than the limit",
        SdpError.TooManyLines => "more lines than the limit",
        SdpError.TooManyMediaSections => "more m= sections than the limit",
        SdpError.MalformedOrigin => "o= does not have six fields",
        SdpError.MalformedConnection => "c= is not 'nettype addrtype address'",
        SdpError.MalformedMedia => "m= is not 'media port proto fmt...'",
        _ => "unknown error",
    };

    /// <inheritdoc />
    public override string ToString() => LineNumber > 0 ? $"line {LineNumber}: {Reason}" : Reason;
}
