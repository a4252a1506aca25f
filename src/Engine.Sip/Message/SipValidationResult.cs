namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// The verdict of <see cref="SipMessageValidator"/>: 0 when the message may go on to the
/// transaction layer, otherwise the status a UAS answers a request with, or a silent drop for a
/// response. The reason is a fixed string; <see cref="Header"/> names the offending header.
/// </summary>
public readonly struct SipValidationResult
{
    private SipValidationResult(int statusCode, bool drop, string? reason, SipHeaderId header)
    {
        StatusCode = statusCode;
        Drop = drop;
        _reason = reason;
        Header = header;
    }

    private readonly string? _reason;

    /// <summary>The message is acceptable.</summary>
    public static SipValidationResult Accept => default;

    /// <summary>A request to answer with <paramref name="statusCode"/>.</summary>
    public static SipValidationResult Reject(int statusCode, string reason, SipHeaderId header = SipHeaderId.Other) =>
        new(statusCode, false, reason, header);

    /// <summary>A response to discard silently.</summary>
    public static SipValidationResult Discard(string reason, SipHeaderId header = SipHeaderId.Other) =>
        new(0, true, reason, header);

    /// <summary>The status to answer with; 0 when the request is fine (and for responses).</summary>
    public int StatusCode { get; }

    /// <summary>True when a response must be discarded silently.</summary>
    public bool Drop { get; }

    /// <summary>True when the message may be processed.</summary>
    public bool IsAcceptable => StatusCode == 0 && !Drop;

    /// <summary>Why the message was refused ("ok" when it was not).</summary>
    public string Reason => _reason ?? "ok";

    /// <summary>The header at fault, when one is; <see cref="SipHeaderId.Other"/> otherwise.</summary>
    public SipHeaderId Header { get; }

    /// <inheritdoc/>
    public override string ToString() => IsAcceptable ? "ok" : Drop ? $"drop: {Reason}" : $"{StatusCode}: {Reason}";
}
