namespace Dialtone.Daemon.Speech;

/// <summary>
/// An espeak-ng voice as the synthesiser sets it: a language voice name (en-us, fr-fr...) with a
/// variant (+m3, +f3) for the gender, and the speaking rate in words per minute.
/// </summary>
public readonly record struct SpeechVoice(string Name, string Variant, int WordsPerMinute)
{
    /// <summary>The name espeak_SetVoiceByName takes ("en-us+f3").</summary>
    public string EspeakName => Variant.Length == 0 ? Name : $"{Name}+{Variant}";
}
