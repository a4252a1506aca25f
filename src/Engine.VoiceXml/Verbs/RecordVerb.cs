namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// &lt;Record&gt;: record the caller, then request <see cref="Action"/> (default: the current document)
/// with RecordingUrl, RecordingDuration and Digits. An empty recording continues with the next verb.
/// </summary>
public sealed record RecordVerb : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Record;

    /// <summary>Longest recording (default 3600 s).</summary>
    public TimeSpan MaxLength { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Silence that ends the recording (default 5 s); zero = silence never ends it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Keys that end the recording (default any key); empty = none.</summary>
    public string FinishOnKey { get; init; } = "1234567890*#";

    public bool PlayBeep { get; init; } = true;

    public Uri? Action { get; init; }

    public RequestMethod Method { get; init; } = RequestMethod.Post;

    public TrimMode Trim { get; init; } = TrimMode.TrimSilence;

    public Uri? RecordingStatusCallback { get; init; }

    public RequestMethod RecordingStatusCallbackMethod { get; init; } = RequestMethod.Post;
}
