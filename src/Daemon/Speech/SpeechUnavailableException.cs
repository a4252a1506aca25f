namespace Dialtone.Daemon.Speech;

/// <summary>Text-to-speech cannot run: libespeak-ng is missing or failed to initialise.</summary>
public sealed class SpeechUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
