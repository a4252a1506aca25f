using System.Collections.Concurrent;
using System.Threading.Channels;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>
/// The interpreter's collaborator in tests: it records every request made of it ("Say:Hello",
/// "Hangup"...), delivers the DTMF digits a test presses, and returns scripted Dial/Record results.
/// </summary>
public sealed class RecordingCall : IVoiceCall
{
    private readonly Channel<char> _digits = Channel.CreateUnbounded<char>();
    private int _digitReads;

    public ConcurrentQueue<string> Log { get; } = new();

    public IReadOnlyList<string> Actions => Log.ToArray();

    public CallFacts Facts { get; init; } = new("CA" + new string('1', 32), "AC" + new string('2', 32), "+15550001111", "+15550002222", "outbound-api");

    public string CallStatus { get; set; } = "in-progress";

    /// <summary>When true, Say and Play last until cancelled (a long prompt the caller can barge into).</summary>
    public bool PromptsBlock { get; set; }

    /// <summary>Completes when a Say begins; its value is the text.</summary>
    public TaskCompletionSource<string> SayStarted { get; private set; } = NewSignal();

    public DialResult DialResult { get; set; } = new(DialCallStatus.Completed, "CA" + new string('3', 32), TimeSpan.FromSeconds(42));

    public RecordResult RecordResult { get; set; } = new(new Uri("http://127.0.0.1/recordings/RE1.wav"), TimeSpan.FromSeconds(7), "#");

    public DialVerb? LastDial { get; private set; }

    public RecordVerb? LastRecord { get; private set; }

    /// <summary>How many digit reads the interpreter has started (lets tests press keys at the right moment).</summary>
    public int DigitReads => Volatile.Read(ref _digitReads);

    public void Press(string keys)
    {
        foreach (var key in keys)
            _digits.Writer.TryWrite(key);
    }

    public void ResetSayStarted() => SayStarted = NewSignal();

    private static TaskCompletionSource<string> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask SayAsync(string text, string? voice, string? language, int loop, CancellationToken cancellationToken)
    {
        Log.Enqueue($"Say:{text}|{voice}|{language}|{loop}");
        SayStarted.TrySetResult(text);
        await BlockIfAskedAsync($"Say:{text}", cancellationToken);
    }

    public async ValueTask PlayAsync(Uri url, int loop, CancellationToken cancellationToken)
    {
        Log.Enqueue($"Play:{url}|{loop}");
        await BlockIfAskedAsync($"Play:{url}", cancellationToken);
    }

    private async Task BlockIfAskedAsync(string what, CancellationToken cancellationToken)
    {
        if (!PromptsBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.Enqueue($"Interrupted:{what}");
            throw;
        }
    }

    public ValueTask SendDigitsAsync(string digits, CancellationToken cancellationToken)
    {
        Log.Enqueue($"SendDigits:{digits}");
        return ValueTask.CompletedTask;
    }

    public void ClearPendingDigits()
    {
        while (_digits.Reader.TryRead(out _))
        {
        }
    }

    public ValueTask<char> ReadDigitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _digitReads);
        return _digits.Reader.ReadAsync(cancellationToken);
    }

    public ValueTask<DialResult> DialAsync(DialVerb dial, CancellationToken cancellationToken)
    {
        LastDial = dial;
        Log.Enqueue("Dial:" + string.Join(",", dial.Targets.Select(t => t.Address)));
        return ValueTask.FromResult(DialResult);
    }

    public ValueTask<RecordResult> RecordAsync(RecordVerb record, CancellationToken cancellationToken)
    {
        LastRecord = record;
        Log.Enqueue($"Record:{record.MaxLength.TotalSeconds}|{record.FinishOnKey}|{record.PlayBeep}");
        return ValueTask.FromResult(RecordResult);
    }

    public ValueTask StartCallRecordingAsync(RecordingVerb recording, CancellationToken cancellationToken)
    {
        Log.Enqueue("StartCallRecording");
        return ValueTask.CompletedTask;
    }

    public ValueTask HangupAsync(CancellationToken cancellationToken)
    {
        Log.Enqueue("Hangup");
        return ValueTask.CompletedTask;
    }

    public ValueTask RejectAsync(RejectReason reason, CancellationToken cancellationToken)
    {
        Log.Enqueue($"Reject:{reason}");
        return ValueTask.CompletedTask;
    }
}
