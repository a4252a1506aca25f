namespace Dialtone.Engine.Rtp.Streams;

/// <summary>How a playback started by <see cref="RtpStream.Play"/> ended.</summary>
public enum PlaybackResult
{
    /// <summary>The source played to its end.</summary>
    Completed,

    /// <summary><see cref="RtpStream.StopPlayback"/> was called.</summary>
    Stopped,

    /// <summary>Another <see cref="RtpStream.Play"/> replaced it.</summary>
    Replaced,

    /// <summary>The stream was closed while it played.</summary>
    Closed,
}
