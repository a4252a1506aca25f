namespace Dialtone.Engine.Rtp.Audio;

/// <summary>The container formats that can be decoded for playback.</summary>
public enum AudioFileFormat
{
    /// <summary>Recognise the format from the first bytes (RIFF/WAVE, an ID3 tag or an MPEG frame header).</summary>
    Detect,

    /// <summary>RIFF/WAVE: linear PCM (8, 16, 24, 32-bit or float), µ-law or A-law, plain or WAVE_FORMAT_EXTENSIBLE.</summary>
    Wav,

    /// <summary>MPEG-1/2/2.5 audio, layers I to III (MP3), with or without ID3v2 tags.</summary>
    Mp3,
}
