using System.Buffers;
using Dialtone.Daemon.Calls;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Sip.UserAgent;
using CommunityToolkit.HighPerformance.Buffers;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// One outgoing SIP call with its media: places the INVITE with our SDP offer, connects the RTP
/// stream to the far end's answer (or its early media), and turns the SIP layer's callbacks into an
/// ordered stream of <see cref="LegEvent"/>s that the call's task reads. Used for A-legs, B-legs of
/// &lt;Dial&gt; and the second leg of click-to-call alike.
/// </summary>
public sealed class OutboundLeg : ISipCallObserver, IDisposable
{
    private readonly Mailbox<LegEvent> _events = new();
    private readonly TaskCompletionSource<SipCallEnd> _over = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SipCall? _sip;
    private long _answeredAt;
    private long _mediaExpectedSince;
    private int _mediaTimedOut;
    private int _disposed;

    public OutboundLeg(CallMedia media, TimeProvider time)
    {
        Media = media ?? throw new ArgumentNullException(nameof(media));
        Time = time;
    }

    /// <summary>The leg's audio.</summary>
    public CallMedia Media { get; }

    private TimeProvider Time { get; }

    /// <summary>What the SIP side reports, in order; completes after the last event (Failed or Ended).</summary>
    public Mailbox<LegEvent> Events => _events;

    /// <summary>Completes with how the leg ended (answered or not).</summary>
    public Task<SipCallEnd> Over => _over.Task;

    /// <summary>True once the far end answered.</summary>
    public bool WasAnswered => Interlocked.Read(ref _answeredAt) != 0;

    /// <summary>True once <see cref="HangUpForMediaTimeout"/> hung the leg up.</summary>
    public bool MediaTimedOut => Volatile.Read(ref _mediaTimedOut) != 0;

    /// <summary>
    /// How long the far end has sent nothing (no RTP, no RTCP) while it should be sending, at
    /// <paramref name="nowTimestamp"/>; null while it need not send: before the answer, without usable
    /// media, on hold, or once the call is ending.
    /// </summary>
    /// <remarks>
    /// Counted from the latest of: the answer, the moment the far end was last expected to start
    /// sending (the answer's or a re-INVITE's SDP, such as a resume from hold), and the last packet
    /// the stream received. So neither early media that never came nor a long hold makes a call
    /// that was just answered or resumed look silent.
    /// </remarks>
    public TimeSpan? MediaSilence(long nowTimestamp)
    {
        long answered = Interlocked.Read(ref _answeredAt);
        long expectedSince = Interlocked.Read(ref _mediaExpectedSince);
        if (answered == 0 || expectedSince == 0 || _sip is not { State: SipCallState.Answered })
            return null;
        long heardOrExpected = Math.Max(Math.Max(answered, expectedSince), Media.Stream.LastReceiveTimestamp);
        return Time.GetElapsedTime(heardOrExpected, Math.Max(heardOrExpected, nowTimestamp));
    }

    /// <summary>
    /// Hangs up an answered leg whose far end fell silent, with <paramref name="byeReason"/> in the BYE
    /// (RFC 3326), and remembers why (<see cref="MediaTimedOut"/>). False when the leg was no longer
    /// answered (it was already ending).
    /// </summary>
    public bool HangUpForMediaTimeout(string byeReason)
    {
        if (_sip is not { State: SipCallState.Answered } sip || Interlocked.Exchange(ref _mediaTimedOut, 1) != 0)
            return false;
        if (sip.HangUp(byeReason))
            return true;
        // Ended meanwhile by someone else (the far end's BYE, the API): not a media timeout.
        Volatile.Write(ref _mediaTimedOut, 0);
        return false;
    }

    /// <summary>How long the leg has been (or was) connected.</summary>
    public TimeSpan ConnectedFor(long? endTimestamp = null)
    {
        long answered = Interlocked.Read(ref _answeredAt);
        return answered == 0 ? TimeSpan.Zero : Time.GetElapsedTime(answered, endTimestamp ?? Time.GetTimestamp());
    }

    /// <summary>Sends the INVITE. Returns false (with the reason) when the request could not even be sent.</summary>
    public bool Start(SipUserAgent userAgent, SipCallRequest request, out string? error)
    {
        try
        {
            _sip = userAgent.PlaceCall(request, this);
            error = null;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Hangs up (BYE) or cancels (CANCEL) as the state requires.</summary>
    public void HangUp() => _sip?.HangUp();

    /// <summary>Sends a SIP INFO digit (for trunks that want DTMF out of band).</summary>
    public bool SendInfoDigit(char digit) => _sip?.SendDtmf(digit) ?? false;

    void ISipCallObserver.OnRinging(SipCall call, int statusCode, ReadOnlySpan<byte> earlyMediaSdp)
    {
        // RFC 3960: early media from a 183 is played to no one here, but connecting the stream lets
        // recordings and DTMF detection start, and keeps NAT bindings warm.
        if (!earlyMediaSdp.IsEmpty && MediaNegotiator.TryReadAnswer(earlyMediaSdp, out NegotiatedMedia media, out _))
            Connect(media);
        _events.TryWrite(new LegEvent.Ringing(statusCode));
    }

    void ISipCallObserver.OnAnswered(SipCall call, ReadOnlySpan<byte> sdp)
    {
        Interlocked.Exchange(ref _answeredAt, Time.GetTimestamp());
        string? error = null;
        if (MediaNegotiator.TryReadAnswer(sdp, out NegotiatedMedia media, out error))
            Connect(media);
        _events.TryWrite(new LegEvent.Answered(error));
    }

    void ISipCallObserver.OnDtmf(SipCall call, char digit, int durationMs) => Media.OnInfoDigit(digit, durationMs);

    bool ISipCallObserver.OnOffer(SipCall call, ReadOnlySpan<byte> offer, IBufferWriter<byte> answer)
    {
        // A re-INVITE or UPDATE from the far end (hold, resume, a new media address): answer from the
        // same local stream and follow the new direction and address.
        var local = Media.Stream.LocalEndPoint;
        if (local is null || !MediaNegotiator.TryAnswer(offer, AdvertisedMediaAddress ?? local.Address.ToString(), local.Port, SessionId, answer, out NegotiatedMedia media, out _))
            return false;
        Connect(media);
        return true;
    }

    void ISipCallObserver.OnFailed(SipCall call, SipCallEnd end)
    {
        _events.TryWrite(new LegEvent.Failed(end));
        _events.Complete();
        _over.TrySetResult(end);
    }

    void ISipCallObserver.OnEnded(SipCall call, SipCallEnd end)
    {
        _events.TryWrite(new LegEvent.Ended(end));
        _events.Complete();
        _over.TrySetResult(end);
    }

    /// <summary>The address put in our SDP (the trunk's advertised media address).</summary>
    public string? AdvertisedMediaAddress { get; set; }

    /// <summary>The o= session id of our SDP.</summary>
    public ulong SessionId { get; set; }

    private void Connect(in NegotiatedMedia media)
    {
        try
        {
            Media.Connect(media.Remote, media.PayloadType, media.TelephoneEventPayloadType, media.PacketTimeMilliseconds);
            MediaDirection direction = media.Direction switch
            {
                Engine.Sip.Sdp.SdpDirection.SendOnly => MediaDirection.SendOnly,
                Engine.Sip.Sdp.SdpDirection.RecvOnly => MediaDirection.ReceiveOnly,
                Engine.Sip.Sdp.SdpDirection.Inactive => MediaDirection.Inactive,
                _ => MediaDirection.SendReceive,
            };
            Media.Stream.Direction = direction;
            ExpectMediaWhenFarEndSends(direction);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // A far end that answers with an address of another family, say: the call goes on without audio.
        }
    }

    /// <summary>
    /// Notes whether the far end is now meant to send, from our side's direction: sendrecv or recvonly
    /// here is sendrecv or sendonly there (RFC 3264 §6.1); sendonly or inactive here means the far end
    /// put the call on hold and sends nothing. The clock starts when sending becomes expected.
    /// </summary>
    private void ExpectMediaWhenFarEndSends(MediaDirection direction)
    {
        if (direction is not (MediaDirection.SendReceive or MediaDirection.ReceiveOnly))
            Interlocked.Exchange(ref _mediaExpectedSince, 0);
        else if (Interlocked.Read(ref _mediaExpectedSince) == 0)
            Interlocked.Exchange(ref _mediaExpectedSince, Time.GetTimestamp());
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_sip is { State: not SipCallState.Ended })
            _sip.HangUp();
        Media.Dispose();
    }
}
