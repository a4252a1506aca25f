using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Dialogs;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.UserAgent;

// Inside the dialog, both ways: BYE, re-INVITE (hold and resume), UPDATE, INFO (DTMF), OPTIONS,
// and RFC 4028 session timers.
public sealed partial class SipCall
{
    private bool _reinvitePending;
    private int _sessionInterval;
    private bool _weRefresh;
    private TimerHandle _refreshTimer;
    private TimerHandle _expiryTimer;
    private SipCallEndCause _byeCause;
    private DigestAuthAttempt? _byeAuth;

    /// <summary>
    /// Sends a re-INVITE with a new offer (hold: a=sendonly; resume: a=sendrecv, RFC 3264 §8.4).
    /// The outcome comes to <see cref="ISipCallObserver.OnSessionModified"/>. False when the call is
    /// not up or another offer is pending (RFC 3261 §14.1).
    /// </summary>
    public bool Reinvite(ReadOnlySpan<byte> sdpOffer)
    {
        if (sdpOffer.IsEmpty)
            throw new ArgumentException("A re-INVITE needs an offer.", nameof(sdpOffer));
        lock (_lock)
        {
            if (_state != SipCallState.Answered || _reinvitePending || _awaitingAck || _dialog is null)
                return false;
            SetLocalSdp(sdpOffer);
            _reinvitePending = true;
            SipClientTransaction? tx = SendInDialogRequest(_dialog, SipMethod.Invite, s_purposeReinvite, "application/sdp"u8,
                _localSdp!.WrittenSpan, contact: true, sessionTimer: true, null);
            if (tx is null)
            {
                _reinvitePending = false;
                return false;
            }
            tx.Release();
            return true;
        }
    }

    /// <summary>Sends one DTMF digit in a SIP INFO (application/dtmf-relay, <c>Signal=</c> and <c>Duration=</c>).</summary>
    public bool SendDtmf(char digit, int durationMs = 160)
    {
        Span<byte> body = stackalloc byte[64];
        int n = SipDtmfRelay.Format(digit, durationMs, body);
        return SendInfo("application/dtmf-relay"u8, body.Slice(0, n));
    }

    /// <summary>Sends an INFO (RFC 6086) with a body of the given type. False when the call is not up.</summary>
    public bool SendInfo(ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> body)
    {
        lock (_lock)
        {
            if (_state != SipCallState.Answered || _dialog is null)
                return false;
            SipClientTransaction? tx = SendInDialogRequest(_dialog, SipMethod.Info, s_purposeInfo, contentType, body, contact: false, sessionTimer: false, null);
            tx?.Release();
            return tx is not null;
        }
    }

    // ---- requests the peer sends in the dialog ----

    /// <summary>A request with our tag in To. False when it is not for this call (the caller answers 481).</summary>
    internal bool OnInDialogRequest(SipServerTransaction tx, SipMessage request)
    {
        lock (_lock)
        {
            if (_state == SipCallState.Ended || _dialog is null || !request.TryGetFrom(out SipNameAddress from)
                || !_dialog.Matches(request.CallId, from.Tag))
                return false;
            request.TryGetCSeq(out SipCSeq cseq);
            if (!_dialog.AcceptRemoteCSeq(cseq.Number))
            {
                // §12.2.2: lower than the last CSeq: out of order.
                _agent.Counters.Drop(SipDropReason.OutOfOrder);
                tx.Respond(500, default, "Out Of Order"u8);
                return true;
            }
            switch (request.Method)
            {
                case SipMethod.Bye:
                    OnByeReceived(tx, request);
                    break;
                case SipMethod.Info:
                    OnInfoReceived(tx, request);
                    break;
                case SipMethod.Options:
                    _agent.RespondToOptions(tx);
                    break;
                case SipMethod.Update:
                    OnOfferReceived(tx, request, isInvite: false);
                    break;
                case SipMethod.Invite:
                    OnOfferReceived(tx, request, isInvite: true);
                    break;
                default:
                    tx.Respond(405);
                    break;
            }
            return true;
        }
    }

    private void OnByeReceived(SipServerTransaction tx, SipMessage bye)
    {
        tx.Respond(200);
        string? reason = ReasonHeaderText(bye);
        if (_state is SipCallState.Incoming or SipCallState.Ringing && _inviteServerTx is { } invite)
        {
            // A BYE in an early dialog (§15.1.2): the INVITE ends with 487.
            invite.Respond(487, _dialog!.LocalTag);
            Finish(SipCallEndCause.RemoteCancel, true, 487, reason);
            return;
        }
        if (_state == SipCallState.Ending)
        {
            // Both hung up at once: ours stands.
            Finish(_byeCause, false, 0, null);
            return;
        }
        Finish(SipCallEndCause.RemoteHangup, true, 0, reason);
    }

    private void OnInfoReceived(SipServerTransaction tx, SipMessage info)
    {
        tx.Respond(200);
        if (info.Body.IsEmpty || !info.TryGetContentType(out SipContentType type))
            return;
        if ((type.Is("application"u8, "dtmf-relay"u8) || type.Is("application"u8, "dtmf"u8))
            && SipDtmfRelay.TryParse(info.Body, out char digit, out int duration))
            Observer?.OnDtmf(this, digit, duration);
    }

    /// <summary>
    /// A re-INVITE or UPDATE: a target refresh (§12.2.2), maybe a session refresh (RFC 4028 §9),
    /// maybe a new offer (hold, resume). The answer is the observer's, or our last SDP mirrored.
    /// </summary>
    private void OnOfferReceived(SipServerTransaction tx, SipMessage request, bool isInvite)
    {
        bool hasOffer = IsSdp(request);
        if (_state != SipCallState.Answered && isInvite)
        {
            tx.Respond(491);
            return;
        }
        if (hasOffer && (_reinvitePending || _awaitingAck))
        {
            // §14.2 / RFC 3311 §5.2: glare with our own offer, or our 2xx is not yet ACKed.
            if (_awaitingAck)
                RespondRetryLater(tx);
            else
                tx.Respond(491);
            return;
        }
        if (isInvite && _awaitingAck)
        {
            RespondRetryLater(tx);
            return;
        }

        if (!NegotiateRefresh(tx, request, out int interval, out bool refresherUac))
            return;
        _dialog!.RefreshTarget(request);

        SipMessageBuffer? answer = null;
        ReadOnlySpan<byte> body = default;
        if (hasOffer)
        {
            answer = _agent.Layer.RentBuffer();
            if (Observer?.OnOffer(this, request.Body, answer) != true)
            {
                answer.Clear();
                if (!SipSdpHoldAnswer.TryWrite(_localSdp is null ? default : _localSdp.WrittenSpan, request.Body, answer))
                {
                    _agent.Layer.ReturnBuffer(answer);
                    tx.Respond(488);
                    return;
                }
            }
            SetLocalSdp(answer.WrittenSpan);
            body = _localSdp!.WrittenSpan;
        }
        else if (isInvite && _localSdp is not null)
        {
            // A re-INVITE without an offer: our 2xx carries one (the current SDP); the answer comes in the ACK.
            body = _localSdp.WrittenSpan;
        }

        SipMessageBuffer response = isInvite ? (_ok ??= _agent.Layer.RentBuffer()) : tx.RentBuffer();
        response.Clear();
        var writer = new SipMessageWriter(response);
        tx.WriteResponseHead(ref writer, 200, default);
        writer.WriteHeader(SipHeaderId.Contact, ContactFor(tx.Protocol));
        WriteCommonHeaders(ref writer, server: true);
        WriteSessionExpires(ref writer, interval, refresherUac, requireTimer: true);
        WriteBodyOrNone(ref writer, body);
        writer.Flush();
        if (answer is not null)
            _agent.Layer.ReturnBuffer(answer);

        if (isInvite)
        {
            request.TryGetCSeq(out SipCSeq cseq);
            _okCSeq = cseq.Number;
            _okDestination = CopyDestination(tx.ResponseDestination);
            tx.SendResponse(response.WrittenSpan, 200);
            StartOkRetransmissions(forReinvite: true);
        }
        else
        {
            tx.SendResponse(response, 200);
        }
        // We are the UAS of this refresh: we refresh when the refresher is "uas".
        ArmSessionTimer(interval, weRefresh: interval > 0 && !refresherUac);
    }

    private void RespondRetryLater(SipServerTransaction tx)
    {
        SipMessageBuffer buffer = tx.RentBuffer();
        var writer = new SipMessageWriter(buffer);
        tx.WriteResponseHead(ref writer, 500, default);
        // §14.2: a random Retry-After between 0 and 10 seconds.
        writer.WriteHeader(SipHeaderId.RetryAfter, Random.Shared.Next(0, 11));
        writer.WriteEmptyBody();
        writer.Flush();
        tx.SendResponse(buffer, 500);
    }

    /// <summary>RFC 4028 §9 for a refresh request we received: 422 below our minimum; otherwise the interval and refresher to answer with.</summary>
    private bool NegotiateRefresh(SipServerTransaction tx, SipMessage request, out int interval, out bool refresherUac)
    {
        interval = 0;
        refresherUac = false;
        if (!request.TryGetHeader(SipHeaderId.SessionExpires, out SipHeader header)
            || !SipSessionExpires.TryParse(request.GetValue(header), out SipSessionExpires se))
            return true;
        if (se.DeltaSeconds < _agent.Options.MinSessionExpires)
        {
            SipMessageBuffer buffer = tx.RentBuffer();
            var writer = new SipMessageWriter(buffer);
            tx.WriteResponseHead(ref writer, 422, default);
            writer.WriteHeader(SipHeaderId.MinSE, _agent.Options.MinSessionExpires);
            writer.WriteEmptyBody();
            writer.Flush();
            tx.SendResponse(buffer, 422);
            return false;
        }
        interval = (int)Math.Min(se.DeltaSeconds, 86400);
        bool supportsTimer = SipHeaderValues.ContainsToken(request, SipHeaderId.Supported, "timer"u8);
        // The requester names the refresher, or it stays the requester when it supports timers.
        refresherUac = se.RefresherIsUac || (!se.RefresherIsUas && supportsTimer);
        return true;
    }

    private static string? ReasonHeaderText(SipMessage message)
    {
        // RFC 3326: Reason: SIP ;cause=200 ;text="Call completed elsewhere" (text wanted; whole value otherwise).
        ReadOnlySpan<byte> value = message.GetValue(SipHeaderId.Reason);
        if (value.IsEmpty)
            return null;
        int text = value.IndexOf("text="u8);
        if (text >= 0)
        {
            ReadOnlySpan<byte> quoted = value.Slice(text + 5);
            Span<byte> unquoted = stackalloc byte[Math.Min(quoted.Length, 512)];
            int end = SipSyntax.ScanQuotedString(quoted, 0);
            if (end > 0 && SipSyntax.TryUnquote(quoted.Slice(0, end), unquoted, out int written))
                return Encoding.UTF8.GetString(unquoted.Slice(0, written));
        }
        return Encoding.UTF8.GetString(value);
    }

    // ---- our requests in the dialog ----

    private bool SendBye(SipCallEndCause cause, string? reason)
    {
        if (_state is SipCallState.Ending or SipCallState.Ended || _dialog is null)
            return false;
        if (_awaitingAck && !_okForReinvite)
        {
            // §15: the callee must not send BYE before the ACK (or the 2xx timing out); it waits.
            _byeAfterAck = cause;
            return true;
        }
        _byeCause = cause;
        _state = SipCallState.Ending;
        CancelTimer(ref _refreshTimer);
        CancelTimer(ref _expiryTimer);
        CancelTimer(ref _okRetransmitTimer);
        CancelTimer(ref _okTimeoutTimer);
        _awaitingAck = false;
        SipClientTransaction? tx = SendInDialogRequest(_dialog, SipMethod.Bye, s_purposeBye, default, default, contact: false, sessionTimer: false,
            null, reason);
        if (tx is null)
        {
            Finish(cause, false, 0, null);
            return true;
        }
        tx.Release();
        return true;
    }

    /// <summary>
    /// Sends a request in <paramref name="dialog"/> (§12.2.1.1) as a client transaction whose
    /// OwnerState is <paramref name="purpose"/>. Returns the transaction (the caller releases it), or null.
    /// </summary>
    private SipClientTransaction? SendInDialogRequest(SipDialog dialog, SipMethod method, object purpose, scoped ReadOnlySpan<byte> contentType,
        scoped ReadOnlySpan<byte> body, bool contact, bool sessionTimer, IReadOnlyList<DigestAuthorization>? authorization, string? reason = null)
    {
        SipDestination destination = dialog.NextHop;
        if (!destination.IsValid)
            return null;
        SipClientTransaction tx = _agent.Layer.CreateClientTransaction(method, destination, this);
        tx.OwnerState = purpose;
        uint cseq = dialog.NextLocalCSeq();
        var writer = new SipMessageWriter(tx.RequestBuffer);
        dialog.WriteRequestHead(ref writer, method, cseq, SipTransportProtocols.ViaToken(destination.Protocol), ViaHost, ViaPort, tx.Branch);
        if (contact)
            writer.WriteHeader(SipHeaderId.Contact, ContactFor(destination.Protocol));
        WriteAuthorization(ref writer, authorization);
        if (method is SipMethod.Invite or SipMethod.Update)
        {
            WriteCommonHeaders(ref writer, server: false);
            // As the UAC of this request: refresher=uac when we keep refreshing.
            if (sessionTimer)
                WriteSessionExpires(ref writer, _sessionInterval, refresherUac: _weRefresh, requireTimer: false);
        }
        else if (_agent.UserAgentHeader is { } product)
        {
            writer.WriteHeader(SipHeaderId.UserAgent, product);
        }
        if (reason is not null)
            writer.WriteHeader(SipHeaderId.Reason, reason);
        if (body.IsEmpty)
        {
            writer.WriteEmptyBody();
        }
        else
        {
            writer.WriteContentType(contentType);
            writer.WriteBody(body);
        }
        writer.Flush();
        tx.Start();
        return tx;
    }

    private void OnInDialogResponse(SipClientTransaction tx, object purpose, SipMessage response)
    {
        int status = response.StatusCode;
        if (status < 200)
            return;
        if (ReferenceEquals(purpose, s_purposeBye))
        {
            if (status is 401 or 407 && _state == SipCallState.Ending && TryAuthenticateBye(response))
                return;
            Finish(_byeCause, false, 0, null);
            return;
        }
        if (_state == SipCallState.Ended || _dialog is null)
            return;

        bool isInvite = tx.IsInvite;
        if (isInvite && status < 300)
        {
            // Every 2xx to our re-INVITE, first or retransmitted, is ACKed (§13.2.2.4); the ACK is kept.
            if (response.TryGetCSeq(out SipCSeq cseq))
            {
                if (cseq.Number != _ackCSeq || _ack is null)
                {
                    _ackCSeq = cseq.Number;
                    SendAndKeepAck(_dialog, _ackCSeq);
                }
                else
                {
                    _agent.Layer.SendStateless(_ack.WrittenSpan, _dialog.NextHop);
                    return;
                }
            }
        }

        if (isInvite)
            _reinvitePending = false;
        if (status < 300)
        {
            _dialog.RefreshTarget(response);
            if (ReferenceEquals(purpose, s_purposeRefresh) || _sessionInterval > 0 || response.Contains(SipHeaderId.SessionExpires))
                ApplySessionTimerFromResponse(response);
        }
        else if (status is 481 or 408)
        {
            // §12.2.1.2: the dialog is gone.
            Finish(SipCallEndCause.DialogLost, true, status, ReasonText(response));
            return;
        }
        if (ReferenceEquals(purpose, s_purposeReinvite))
            Observer?.OnSessionModified(this, status, status < 300 && IsSdp(response) ? response.Body : default);
    }

    private void OnInDialogFailure(object purpose, int statusCode)
    {
        if (ReferenceEquals(purpose, s_purposeBye))
        {
            Finish(_byeCause, false, 0, null);
            return;
        }
        if (_state is SipCallState.Ended)
            return;
        if (ReferenceEquals(purpose, s_purposeReinvite) || ReferenceEquals(purpose, s_purposeRefresh))
            _reinvitePending = false;
        if (ReferenceEquals(purpose, s_purposeReinvite))
            Observer?.OnSessionModified(this, statusCode, default);
        // §12.2.1.2: no answer at all to a request in the dialog: end it (BYE, in case the peer lives).
        if (_state == SipCallState.Answered)
            SendBye(SipCallEndCause.DialogLost, null);
    }

    private bool TryAuthenticateBye(SipMessage response)
    {
        if (Trunk?.Authenticator is not { } authenticator || _dialog is null)
            return false;
        var challenges = new List<DigestChallenge>(2);
        CollectChallenges(response, SipHeaderId.WwwAuthenticate, isProxy: false, challenges);
        CollectChallenges(response, SipHeaderId.ProxyAuthenticate, isProxy: true, challenges);
        _byeAuth ??= new DigestAuthAttempt(authenticator);
        if (!_byeAuth.OnChallenge(response.StatusCode, challenges).ShouldRetry)
            return false;
        var headers = _byeAuth.Authorize("BYE", Encoding.ASCII.GetString(_dialog.RequestUri));
        Interlocked.Increment(ref _agent.Counters._authRetries);
        SipClientTransaction? tx = SendInDialogRequest(_dialog, SipMethod.Bye, s_purposeBye, default, default, contact: false, sessionTimer: false, headers);
        tx?.Release();
        return tx is not null;
    }

    // ---- RFC 4028 session timers ----

    /// <summary>The 2xx to a request we sent (the INVITE or a refresh): its Session-Expires sets the interval and the refresher.</summary>
    private void ApplySessionTimerFromResponse(SipMessage response)
    {
        if (!response.TryGetHeader(SipHeaderId.SessionExpires, out SipHeader header)
            || !SipSessionExpires.TryParse(response.GetValue(header), out SipSessionExpires se) || se.DeltaSeconds == 0)
        {
            // §7.2: no Session-Expires in the 2xx: no session expiration.
            ArmSessionTimer(0, false);
            return;
        }
        // We are the UAC of this transaction: "uac", or no refresher at all, means us (§7.2).
        ArmSessionTimer((int)Math.Min(se.DeltaSeconds, 86400), weRefresh: !se.RefresherIsUas);
    }

    private void ArmSessionTimer(int interval, bool weRefresh)
    {
        _sessionInterval = interval;
        _weRefresh = interval > 0 && weRefresh;
        CancelTimer(ref _refreshTimer);
        CancelTimer(ref _expiryTimer);
        if (interval <= 0)
            return;
        if (_weRefresh)
            _refreshTimer = Schedule(SessionRefreshTimer, TimeSpan.FromSeconds(interval / 2.0));
        // §10: without a refresh by then, BYE at the expiry minus min(32 s, interval/3).
        double margin = Math.Min(32, interval / 3.0);
        _expiryTimer = Schedule(SessionExpiryTimer, TimeSpan.FromSeconds(interval - margin));
    }

    private void SendSessionRefresh()
    {
        if (_state != SipCallState.Answered || _dialog is null)
            return;
        if (_reinvitePending || _awaitingAck)
        {
            // An offer is in flight; try again shortly (the expiry timer still guards the session).
            _refreshTimer = Schedule(SessionRefreshTimer, TimeSpan.FromSeconds(2));
            return;
        }
        SipClientTransaction? tx;
        if (_dialog.RemoteAllowsUpdate)
        {
            // RFC 4028 §9: UPDATE without a body is the cheap refresh.
            tx = SendInDialogRequest(_dialog, SipMethod.Update, s_purposeRefresh, default, default, contact: true, sessionTimer: true, null);
        }
        else
        {
            _reinvitePending = true;
            tx = SendInDialogRequest(_dialog, SipMethod.Invite, s_purposeRefresh, "application/sdp"u8,
                _localSdp is null ? default : _localSdp.WrittenSpan, contact: true, sessionTimer: true, null);
            if (tx is null)
                _reinvitePending = false;
        }
        tx?.Release();
    }

    private void OnSessionExpired()
    {
        if (_state == SipCallState.Answered)
            SendBye(SipCallEndCause.SessionTimerExpired, "SIP;cause=408;text=\"Session timer expired\"");
    }
}
