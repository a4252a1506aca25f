namespace Dialtone.Engine.Sip.Message;

/// <summary>The result of framing: a status, and the number of bytes it covers.</summary>
public readonly struct SipFrame
{
    internal SipFrame(SipFrameStatus status, int length, SipParseError error = SipParseError.None, int errorOffset = 0)
    {
        Status = status;
        Length = length;
        Error = error;
        ErrorOffset = errorOffset;
    }

    /// <summary>What was found.</summary>
    public SipFrameStatus Status { get; }

    /// <summary>Bytes to consume: the message, or the 4 / 2 bytes of a ping / pong. 0 otherwise.</summary>
    public int Length { get; }

    /// <summary>For <see cref="SipFrameStatus.Error"/>: what is wrong.</summary>
    public SipParseError Error { get; }

    /// <summary>For <see cref="SipFrameStatus.Error"/>: where, from the start of the buffer.</summary>
    public int ErrorOffset { get; }

    /// <summary>A fixed description of the error.</summary>
    public string Reason => SipParseResult.Describe(Error);

    /// <inheritdoc/>
    public override string ToString() => Status == SipFrameStatus.Error ? $"Error: {Reason} at {ErrorOffset}" : $"{Status} ({Length} bytes)";
}
