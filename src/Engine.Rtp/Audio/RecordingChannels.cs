namespace Dialtone.Engine.Rtp.Audio;

/// <summary>What a <see cref="WavRecorderSink"/> puts in the file.</summary>
public enum RecordingChannels
{
    /// <summary>One channel: both directions added together (saturating), as a listener on the line hears the call.</summary>
    MonoMix,

    /// <summary>
    /// Two channels: left = <see cref="AudioDirection.Received"/> (the remote party: the callee on
    /// an outbound call), right = <see cref="AudioDirection.Sent"/> (what this side played or relayed).
    /// </summary>
    Stereo,

    /// <summary>One channel with only <see cref="AudioDirection.Received"/> audio: a voicemail-style recording of what the caller says.</summary>
    ReceivedOnly,
}
