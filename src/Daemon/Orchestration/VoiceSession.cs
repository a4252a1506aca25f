using Dialtone.Daemon.Calls;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Recording;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// The live call a voice application drives (<see cref="IVoiceCall"/>), over an answered
/// <see cref="OutboundLeg"/>: speech and files played on its RTP stream, digits from its DTMF
/// channel, &lt;Record&gt; takes, whole-call recording, &lt;Dial&gt; through <see cref="DialRunner"/>.
/// </summary>
public sealed class VoiceSession : IVoiceCall
{
    private readonly OutboundLeg _leg;
    private readonly LiveCall _call;
    private readonly TelephonyServices _services;
    private readonly DialRunner _dialer;
    private CallRecording? _callRecording;

    public VoiceSession(LiveCall call, OutboundLeg leg, TelephonyServices services, CallFacts facts, string callStatus)
    {
        _call = call;
        _leg = leg;
        _services = services;
        Facts = facts;
        CallStatus = callStatus;
        _dialer = new DialRunner(call, leg, services);
    }

    public CallFacts Facts { get; }

    public string CallStatus { get; }

    /// <summary>The whole-call recording's file, once &lt;Recording&gt; or Record=true started one.</summary>
    public string? CallRecordingPath => _callRecording?.FilePath;

    public async ValueTask SayAsync(string text, string? voice, string? language, int loop, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<short> speech = await _services.Speech.RenderAsync(text, voice, language, cancellationToken).ConfigureAwait(false);
        IAudioSource source = new PcmMemorySource(speech);
        if (loop != 1)
            source = new LoopedAudioSource((IRewindableAudioSource)source, loop);
        await _leg.Media.PlayAsync(source, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask PlayAsync(Uri url, int loop, CancellationToken cancellationToken)
    {
        // Playback starts while the file is still downloading: the stream decodes into a ring that
        // the media thread reads from (StreamingAudioSource). Loops replay what was kept.
        using var media = await _services.MediaCache.OpenAsync(url, cancellationToken).ConfigureAwait(false);
        if (media.FromCache && media.Body is MemoryStream cached && cached.TryGetBuffer(out ArraySegment<byte> bytes))
        {
            // Already downloaded: play the clip every call shares instead of decoding a copy.
            AudioClip clip;
            try
            {
                clip = _services.DecodedClips.GetOrDecode(bytes.Array!, bytes, FormatOf(media.Format), _services.MaxPlayDuration);
            }
            catch (AudioFormatException e)
            {
                throw new InvalidOperationException($"could not play {url}: {e.Message}", e);
            }
            await _leg.Media.PlayAsync(clip.CreateSource(loop), cancellationToken).ConfigureAwait(false);
            return;
        }
        var streaming = new StreamingAudioSource(FormatOf(media.Format), retainForReplay: loop != 1, maxDuration: _services.MaxPlayDuration);
        Task download = streaming.CopyFromAsync(media.Body, cancellationToken);
        IAudioSource source = loop == 1 ? streaming : new LoopedAudioSource(streaming, loop);
        try
        {
            await _leg.Media.PlayAsync(source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A download that failed midway ends the playback early; its error is reported below.
            await Task.WhenAny(download).ConfigureAwait(false);
        }
        if (download.IsFaulted && download.Exception?.InnerException is { } failure && failure is not OperationCanceledException)
            throw new InvalidOperationException($"could not play {url}: {failure.Message}", failure);
    }

    public async ValueTask SendDigitsAsync(string digits, CancellationToken cancellationToken) =>
        await _leg.Media.SendDigitsAsync(digits, cancellationToken).ConfigureAwait(false);

    public void ClearPendingDigits() => _leg.Media.ClearDigits();

    public ValueTask<char> ReadDigitAsync(CancellationToken cancellationToken) => _leg.Media.ReadDigitAsync(cancellationToken);

    public ValueTask<DialResult> DialAsync(DialVerb dial, CancellationToken cancellationToken) => _dialer.DialAsync(dial, cancellationToken);

    public async ValueTask<RecordResult> RecordAsync(RecordVerb record, CancellationToken cancellationToken)
    {
        if (record.PlayBeep)
            await _leg.Media.PlayAsync(ToneAudioSource.Beep(), cancellationToken).ConfigureAwait(false);

        string recordingSid = Sid.NewRecordingSid();
        string path = _services.Recordings.TakePathOf(_call.Sid, recordingSid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var take = new RecordTake(path, record.Timeout, record.MaxLength, record.Trim == TrimMode.TrimSilence, _services.Time);
        _leg.Media.ClearDigits();
        _leg.Media.Stream.AddSink(take);
        string digits = "";
        using var keys = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            Task<string> finishKey = WaitForFinishKeyAsync(record.FinishOnKey, keys.Token);
            Task finished = await Task.WhenAny(take.Ended, finishKey, _leg.Over).ConfigureAwait(false);
            if (finished == finishKey && finishKey.IsCompletedSuccessfully)
                digits = finishKey.Result;
            else if (finished == _leg.Over)
                digits = "hangup";
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            keys.Cancel();
            _leg.Media.Stream.RemoveSink(take);
        }

        TimeSpan duration = take.Complete();
        take.Dispose();
        if (!take.HeardVoice || duration <= TimeSpan.Zero)
        {
            // Twilio: an empty recording is not reported; the application goes on with the next verb.
            File.Delete(path);
            return new RecordResult(null, TimeSpan.Zero, digits);
        }
        return new RecordResult(new Uri(_services.Links.TakeUrl(_call.Sid, recordingSid)), duration, digits) { RecordingSid = recordingSid };
    }

    private async Task<string> WaitForFinishKeyAsync(string finishOnKey, CancellationToken cancellationToken)
    {
        if (finishOnKey.Length == 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return "";
        }
        while (true)
        {
            char digit = await _leg.Media.ReadDigitAsync(cancellationToken).ConfigureAwait(false);
            if (finishOnKey.Contains(digit, StringComparison.Ordinal))
                return digit.ToString();
        }
    }

    public ValueTask StartCallRecordingAsync(RecordingVerb recording, CancellationToken cancellationToken)
    {
        StartWholeCallRecording();
        return ValueTask.CompletedTask;
    }

    /// <summary>Records both directions of the call to its recording file until the call ends (Record=true, &lt;Recording&gt;).</summary>
    public void StartWholeCallRecording()
    {
        if (_callRecording is not null)
            return;
        string path = _services.Recordings.DefaultPathOf(_call.Sid);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _callRecording = CallRecording.Start(_leg.Media.Stream, path, RecordingChannels.MonoMix, _services.Time);
    }

    /// <summary>Stops the whole-call recording (at the end of the call) and returns its file.</summary>
    public string? StopWholeCallRecording()
    {
        if (_callRecording is null)
            return null;
        _callRecording.Stop();
        return _callRecording.FilePath;
    }

    public async ValueTask HangupAsync(CancellationToken cancellationToken)
    {
        _leg.HangUp();
        // The leg's end cancels the application's token (SipCallDialer's call scope) before this wait
        // sees it, so a hang-up the application asked for would always end in an exception. Either
        // outcome means the call is over: wait for it without throwing (no exception per call).
        await ((Task)_leg.Over.WaitAsync(cancellationToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public ValueTask RejectAsync(RejectReason reason, CancellationToken cancellationToken) =>
        // The A-leg is already answered when the application runs, so a reject is a hang-up (TwiML).
        HangupAsync(cancellationToken);

    private static AudioFileFormat FormatOf(Engine.VoiceXml.Media.MediaFormat format) => format switch
    {
        Engine.VoiceXml.Media.MediaFormat.Wav => AudioFileFormat.Wav,
        Engine.VoiceXml.Media.MediaFormat.Mp3 => AudioFileFormat.Mp3,
        _ => AudioFileFormat.Detect,
    };
}
