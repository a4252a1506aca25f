namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>The audio container of a &lt;Play&gt; file, from its Content-Type or its first bytes.</summary>
public enum MediaFormat
{
    /// <summary>Not known from the headers (the decoder sniffs the bytes).</summary>
    Unknown,

    /// <summary>RIFF/WAVE (audio/wav, audio/wave, audio/x-wav, audio/vnd.wave).</summary>
    Wav,

    /// <summary>MPEG layer 3 (audio/mpeg, audio/mp3).</summary>
    Mp3,
}
