using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>
/// The live call a voice application drives. The daemon implements it over SIP and RTP; the
/// interpreter only asks it to do things and waits. Every method must stop promptly when its token
/// is cancelled (barge-in cancels a Say or Play the moment a digit arrives) by throwing
/// <see cref="OperationCanceledException"/>.
/// </summary>
public interface IVoiceCall
{
    /// <summary>The call's identity, sent with every request.</summary>
    CallFacts Facts { get; }

    /// <summary>The CallStatus value to send now (e.g. "in-progress", or the seed dialect's "answered").</summary>
    string CallStatus { get; }

    /// <summary>Speaks <paramref name="text"/> <paramref name="loop"/> times; completes when the audio has been sent.</summary>
    ValueTask SayAsync(string text, string? voice, string? language, int loop, CancellationToken cancellationToken);

    /// <summary>Plays the WAV/MP3 at <paramref name="url"/> <paramref name="loop"/> times.</summary>
    ValueTask PlayAsync(Uri url, int loop, CancellationToken cancellationToken);

    /// <summary>Sends DTMF (RFC 4733 events) for 0-9 * # A-D, pausing 0.5 s for w and 1 s for W.</summary>
    ValueTask SendDigitsAsync(string digits, CancellationToken cancellationToken);

    /// <summary>Forgets digits received so far: a &lt;Gather&gt; only counts keys pressed after it starts.</summary>
    void ClearPendingDigits();

    /// <summary>Waits for the next DTMF digit from the caller (0-9, *, #, A-D).</summary>
    ValueTask<char> ReadDigitAsync(CancellationToken cancellationToken);

    /// <summary>Rings the dial's targets, bridges the first that answers, and returns when that leg is over.</summary>
    ValueTask<DialResult> DialAsync(DialVerb dial, CancellationToken cancellationToken);

    /// <summary>Records the caller (beep, silence timeout, finish keys, max length as the verb says).</summary>
    ValueTask<RecordResult> RecordAsync(RecordVerb record, CancellationToken cancellationToken);

    /// <summary>Starts recording the whole call, both directions, until it ends.</summary>
    ValueTask StartCallRecordingAsync(RecordingVerb recording, CancellationToken cancellationToken);

    /// <summary>Ends the call (BYE).</summary>
    ValueTask HangupAsync(CancellationToken cancellationToken);

    /// <summary>Refuses the call: busy (486) or rejected (603) before answer, else a hangup.</summary>
    ValueTask RejectAsync(RejectReason reason, CancellationToken cancellationToken);
}
