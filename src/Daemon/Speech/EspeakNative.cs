using System.Runtime.InteropServices;

namespace Dialtone.Daemon.Speech;

/// <summary>
/// The classic espeak-ng C API (speak_lib.h) from Debian's libespeak-ng1, bound with source-generated
/// P/Invoke so native AOT needs no runtime marshalling stubs. Only the synthesis thread calls these:
/// the library keeps global state and is not thread-safe.
/// </summary>
internal static unsafe partial class EspeakNative
{
    public const string Library = "libespeak-ng.so.1";

    /// <summary>espeak_AUDIO_OUTPUT: samples are handed to the callback inside espeak_Synth, on the calling thread.</summary>
    public const int AudioOutputSynchronous = 2;

    /// <summary>espeakINITIALIZE_DONT_EXIT: report errors instead of calling exit() (which would kill the daemon).</summary>
    public const int InitializeDontExit = 0x8000;

    /// <summary>espeakCHARS_UTF8.</summary>
    public const uint CharsUtf8 = 1;

    /// <summary>espeakENDPAUSE: a short pause at the end of the text, so looped Says do not run together.</summary>
    public const uint EndPause = 0x1000;

    /// <summary>POS_CHARACTER.</summary>
    public const int PositionCharacter = 1;

    /// <summary>espeak_PARAMETER values.</summary>
    public const int ParameterRate = 1;
    public const int ParameterVolume = 2;
    public const int ParameterPitch = 3;

    public const int Ok = 0;

    [LibraryImport(Library, EntryPoint = "espeak_Initialize")]
    public static partial int Initialize(int output, int bufferLengthMs, byte* path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    public static partial void SetSynthCallback(delegate* unmanaged<short*, int, void*, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName")]
    public static partial int SetVoiceByName(byte* name);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    public static partial int SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    public static partial int Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, void* userData);

    [LibraryImport(Library, EntryPoint = "espeak_Synchronize")]
    public static partial int Synchronize();

    /// <summary>Translates one clause of text to phoneme mnemonics and advances <paramref name="text"/> (null at the end).</summary>
    [LibraryImport(Library, EntryPoint = "espeak_TextToPhonemes")]
    public static partial byte* TextToPhonemes(byte** text, int textMode, int phonemeMode);

    [LibraryImport(Library, EntryPoint = "espeak_Terminate")]
    public static partial int Terminate();
}
