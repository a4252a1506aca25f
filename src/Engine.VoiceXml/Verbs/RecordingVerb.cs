namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// &lt;Recording&gt; (didML): start recording the whole call from here to its end. The recording's
/// URL is reported on the completed status callback (RecordingUrl).
/// </summary>
public sealed record RecordingVerb : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Recording;

    public TrimMode Trim { get; init; } = TrimMode.DoNotTrim;

    public Uri? RecordingStatusCallback { get; init; }

    public RequestMethod RecordingStatusCallbackMethod { get; init; } = RequestMethod.Post;
}
