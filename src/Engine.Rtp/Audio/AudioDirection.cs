namespace Dialtone.Engine.Rtp.Audio;

/// <summary>Which side of a call a frame of audio came from, as seen by the engine.</summary>
public enum AudioDirection
{
    /// <summary>Audio the remote party sent to us (what they said).</summary>
    Received,

    /// <summary>Audio we sent to the remote party (what we played).</summary>
    Sent,
}
