namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>What the call reports when a &lt;Record&gt; is over.</summary>
/// <param name="RecordingUrl">Where the recording can be fetched; null when nothing was recorded.</param>
/// <param name="Duration">Length of the recording (after trimming).</param>
/// <param name="Digits">The key that ended the recording, "hangup" when the caller hung up, or empty.</param>
public sealed record RecordResult(Uri? RecordingUrl, TimeSpan Duration, string Digits)
{
    public string? RecordingSid { get; init; }
}
