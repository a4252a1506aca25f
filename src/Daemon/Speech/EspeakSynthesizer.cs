using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Daemon.Speech;

/// <summary>
/// Owns espeak-ng for the process: one dedicated thread initialises the library in synchronous
/// output mode and runs every synthesis, one at a time, from a queue. espeak-ng keeps global state
/// and is not thread-safe, and rendering must never run on a media thread, so callers only ever
/// enqueue work and await it. Output is 22,050 Hz mono, resampled here to 8 kHz for G.711.
/// </summary>
internal sealed unsafe class EspeakSynthesizer
{
    private static readonly Lock StartLock = new();
    private static EspeakSynthesizer? s_instance;

    // State the native callback writes into. Only the synthesis thread runs espeak_Synth, and the
    // synchronous mode calls back on that same thread, so plain statics are safe here.
    private static short[] s_samples = new short[22050 * 8];
    private static int s_count;
    private static CancellationToken s_cancel;

    /// <summary>Longest rendering kept (10 minutes at 22,050 Hz); beyond it synthesis is aborted.</summary>
    private const int MaxSamples = 22050 * 600;

    private readonly BlockingCollection<Action> _work;
    private readonly Thread _thread;
    private int _sampleRate;

    private EspeakSynthesizer(int maxQueued)
    {
        _work = new BlockingCollection<Action>(maxQueued);
        _thread = new Thread(Run) { IsBackground = true, Name = "espeak-ng synthesis" };
    }

    /// <summary>Native output rate reported by espeak_Initialize (22,050 Hz for the standard voices).</summary>
    public int NativeSampleRate => _sampleRate;

    /// <summary>
    /// The process's synthesiser, started on first use. Fails with a clear
    /// <see cref="SpeechUnavailableException"/> when the library cannot be loaded or initialised.
    /// </summary>
    public static EspeakSynthesizer Acquire(SpeechOptions options)
    {
        if (!NativeLibrary.TryLoad(options.LibraryName, out var handle))
            throw new SpeechUnavailableException($"text-to-speech needs {options.LibraryName} (Debian package libespeak-ng1), and it could not be loaded");
        NativeLibrary.Free(handle);
        lock (StartLock)
        {
            if (s_instance is not null)
                return s_instance;
            var synthesizer = new EspeakSynthesizer(options.MaxQueuedRenders);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            synthesizer._work.Add(() => synthesizer.Initialize(started));
            synthesizer._thread.Start();
            started.Task.GetAwaiter().GetResult();
            s_instance = synthesizer;
            return synthesizer;
        }
    }

    private void Initialize(TaskCompletionSource started)
    {
        try
        {
            // Null path: the data directory libespeak-ng1 was built with (espeak-ng-data next to it).
            var rate = EspeakNative.Initialize(EspeakNative.AudioOutputSynchronous, 0, null, EspeakNative.InitializeDontExit);
            if (rate <= 0)
            {
                started.SetException(new SpeechUnavailableException($"espeak_Initialize failed ({rate}); is espeak-ng-data installed?"));
                return;
            }
            _sampleRate = rate;
            EspeakNative.SetSynthCallback(&OnSamples);
            started.SetResult();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            started.SetException(new SpeechUnavailableException($"text-to-speech needs {EspeakNative.Library} (Debian package libespeak-ng1): {ex.Message}", ex));
        }
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
            work();
    }

    /// <summary>Queues <paramref name="work"/> for the synthesis thread.</summary>
    private Task<T> InvokeAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _work.TryAdd(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        });
        if (!queued)
            completion.SetException(new InvalidOperationException("the speech queue is full"));
        return completion.Task;
    }

    /// <summary>Renders <paramref name="text"/> with <paramref name="voice"/> to 8 kHz mono PCM16.</summary>
    public Task<short[]> RenderAsync(string text, SpeechVoice voice, CancellationToken cancellationToken) =>
        InvokeAsync(() => Render(text, voice, cancellationToken));

    /// <summary>The phoneme mnemonics espeak-ng would speak for <paramref name="text"/> (what espeak-ng -x prints).</summary>
    public Task<string> PhonemesAsync(string text, SpeechVoice voice) =>
        InvokeAsync(() => Phonemes(text, voice));

    private short[] Render(string text, SpeechVoice voice, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SelectVoice(voice);
        var utf8 = Encoding.UTF8.GetBytes(text + "\0");
        s_count = 0;
        s_cancel = cancellationToken;
        try
        {
            fixed (byte* p = utf8)
            {
                // The text goes in as written: no number normalisation of our own, so "8 9 70" stays
                // three numbers ("eight nine seventy") and is never merged into "eighty-nine seventy".
                var result = EspeakNative.Synth(p, (nuint)utf8.Length, 0, EspeakNative.PositionCharacter, 0,
                    EspeakNative.CharsUtf8 | EspeakNative.EndPause, null, null);
                if (result != EspeakNative.Ok)
                    throw new InvalidOperationException($"espeak_Synth failed ({result})");
            }
            EspeakNative.Synchronize();
            cancellationToken.ThrowIfCancellationRequested();
            return PcmResampler.To8k(s_samples.AsSpan(0, s_count), _sampleRate);
        }
        finally
        {
            s_cancel = default;
        }
    }

    private string Phonemes(string text, SpeechVoice voice)
    {
        SelectVoice(voice);
        var utf8 = Encoding.UTF8.GetBytes(text + "\0");
        var result = new StringBuilder();
        fixed (byte* start = utf8)
        {
            var cursor = start;
            // espeak_TextToPhonemes translates one clause per call and moves the cursor on.
            while (cursor is not null && *cursor != 0)
            {
                var phonemes = EspeakNative.TextToPhonemes(&cursor, (int)EspeakNative.CharsUtf8, 0);
                if (phonemes is null)
                    break;
                if (result.Length > 0)
                    result.Append(' ');
                result.Append(Marshal.PtrToStringUTF8((nint)phonemes)?.Trim());
            }
        }
        return result.ToString();
    }

    private static void SelectVoice(SpeechVoice voice)
    {
        // Try the exact voice, then the primary language subtag, then US English: an unusual
        // language tag degrades to an accent, it never fails the call.
        if (!TrySetVoice(voice.EspeakName))
        {
            var dash = voice.Name.IndexOf('-');
            var primary = dash > 0 ? voice with { Name = voice.Name[..dash] } : voice;
            if (dash <= 0 || !TrySetVoice(primary.EspeakName))
                TrySetVoice((voice with { Name = "en-us" }).EspeakName);
        }
        EspeakNative.SetParameter(EspeakNative.ParameterRate, voice.WordsPerMinute, 0);
    }

    private static bool TrySetVoice(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = utf8)
            return EspeakNative.SetVoiceByName(p) == EspeakNative.Ok;
    }

    [UnmanagedCallersOnly]
    private static int OnSamples(short* wav, int count, void* events)
    {
        // Returning 1 asks espeak-ng to stop: the request was cancelled, or the text is absurdly long.
        if (s_cancel.IsCancellationRequested)
            return 1;
        if (wav is null || count <= 0)
            return 0;
        if (s_count + count > MaxSamples)
            return 1;
        if (s_count + count > s_samples.Length)
            Array.Resize(ref s_samples, Math.Min(MaxSamples, Math.Max(s_samples.Length * 2, s_count + count)));
        new ReadOnlySpan<short>(wav, count).CopyTo(s_samples.AsSpan(s_count));
        s_count += count;
        return 0;
    }
}
