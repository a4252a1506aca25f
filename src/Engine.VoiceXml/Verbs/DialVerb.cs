namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// &lt;Dial&gt; (or its didML alias &lt;Forward&gt;): ring <see cref="Targets"/> and bridge the first that
/// answers. Afterwards <see cref="Action"/> is requested with DialCallStatus, DialCallSid and
/// DialCallDuration; without an action the document continues with the next verb.
/// </summary>
public sealed record DialVerb(IReadOnlyList<DialTarget> Targets) : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Dial;

    /// <summary>Caller ID for the new leg, or null for the call's own From.</summary>
    public string? CallerId { get; init; }

    /// <summary>How long to ring before giving up (default 30 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the bridged call may last (default 4 h).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromHours(4);

    public Uri? Action { get; init; }

    public RequestMethod Method { get; init; } = RequestMethod.Post;

    public DialRecordMode Record { get; init; } = DialRecordMode.DoNotRecord;

    public TrimMode Trim { get; init; } = TrimMode.TrimSilence;

    /// <summary>The caller pressing * ends the dialed leg and continues the document.</summary>
    public bool HangupOnStar { get; init; }

    public Uri? RecordingStatusCallback { get; init; }

    public RequestMethod RecordingStatusCallbackMethod { get; init; } = RequestMethod.Post;

    /// <summary>True when the element was written &lt;Forward&gt;.</summary>
    public bool WrittenAsForward { get; init; }
}
