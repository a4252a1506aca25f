namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Audio data that cannot be played: not a WAV or MP3 file, a damaged header, or an encoding this
/// engine does not decode. The message says which, so it can go straight into a call's error report.
/// </summary>
public sealed class AudioFormatException : FormatException
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public AudioFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public AudioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
