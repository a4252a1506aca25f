namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>What the call reports when a &lt;Dial&gt; is over.</summary>
/// <param name="Status">How the dialed leg ended.</param>
/// <param name="CallSid">The dialed leg's sid, or null when no leg was created.</param>
/// <param name="Duration">How long the dialed leg was connected.</param>
public sealed record DialResult(DialCallStatus Status, string? CallSid, TimeSpan Duration)
{
    /// <summary>The recording's URL when the Dial had record set, else null.</summary>
    public Uri? RecordingUrl { get; init; }

    public string? RecordingSid { get; init; }
}
