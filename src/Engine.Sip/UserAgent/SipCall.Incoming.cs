using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Dialogs;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.UserAgent;

// The incoming side (we are the UAS): ringing, answering (and retransmitting our 2xx until the
// ACK, RFC 3261 §13.3.1.4), rejecting, and a CANCEL from the caller (§9.2).
public sealed partial class SipCall
{
    private SipServerTransaction? _inviteServerTx;
    private SipMessageBuffer? _ok;
    private SipDestination _okDestination;
    private uint _okCSeq;
    private TimerHandle _okRetransmitTimer;
    private TimerHandle _okTimeoutTimer;
    private TimeSpan _okInterval;
    private bool _awaitingAck;
    private bool _okForReinvite;
    private SipCallEndCause _byeAfterAck;
    private int _offeredSessionInterval;
    private bool _offeredRefresherUac;
    private bool _offeredRefresherUas;
    private bool _callerSupportsTimer;

    internal static void AcceptIncoming(SipUserAgent agent, SipServerTransaction transaction, SipMessage invite, ISipIncomingCallHandler handler)
    {
        // RFC 4028 §8.1: an interval below our minimum is refused with 422 and our Min-SE.
        if (invite.TryGetHeader(SipHeaderId.SessionExpires, out SipHeader se)
            && SipSessionExpires.TryParse(invite.GetValue(se), out SipSessionExpires requested)
            && requested.DeltaSeconds < agent.Options.MinSessionExpires)
        {
            SipMessageBuffer buffer = transaction.RentBuffer();
            var writer = new SipMessageWriter(buffer);
            transaction.WriteResponseHead(ref writer, 422, default);
            writer.WriteHeader(SipHeaderId.MinSE, agent.Options.MinSessionExpires);
            writer.WriteEmptyBody();
            writer.Flush();
            transaction.SendResponse(buffer, 422);
            return;
        }

        var call = new SipCall(agent, SipCallDirection.Incoming, null);
        ulong tag = agent.Ids.NewTag();
        call._localTagValue = tag;
        Span<byte> tagText = stackalloc byte[SipHexId.Length];
        SipIdGenerator.WriteTag(tagText, tag);
        lock (call._lock)
        {
            SipDialog dialog = agent.RentDialog();
            dialog.InitializeAsUas(invite, tagText, transaction.ResponseDestination);
            call._dialog = dialog;
            call._state = SipCallState.Incoming;
            transaction.Owner = call;
            transaction.Retain();
            call._inviteServerTx = transaction;
            call.ReadSessionTimerOffer(invite);
            agent.Register(tag, call);
            handler.OnIncomingCall(call, invite.Body);
        }
    }

    private void ReadSessionTimerOffer(SipMessage request)
    {
        _callerSupportsTimer = SipHeaderValues.ContainsToken(request, SipHeaderId.Supported, "timer"u8);
        _offeredSessionInterval = 0;
        _offeredRefresherUac = _offeredRefresherUas = false;
        if (request.TryGetHeader(SipHeaderId.SessionExpires, out SipHeader header)
            && SipSessionExpires.TryParse(request.GetValue(header), out SipSessionExpires se))
        {
            _offeredSessionInterval = (int)Math.Min(se.DeltaSeconds, 86400);
            _offeredRefresherUac = se.RefresherIsUac;
            _offeredRefresherUas = se.RefresherIsUas;
        }
    }

    /// <summary>
    /// Incoming: sends a provisional response (180 Ringing, or 183 Session Progress with early
    /// media SDP). False when the call is no longer ringing.
    /// </summary>
    public bool Ring(int statusCode = 180, ReadOnlySpan<byte> earlyMediaSdp = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 101);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 199);
        lock (_lock)
        {
            RequireIncoming();
            if (_state is not (SipCallState.Incoming or SipCallState.Ringing) || _inviteServerTx is not { } tx)
                return false;
            SipMessageBuffer buffer = tx.RentBuffer();
            var writer = new SipMessageWriter(buffer);
            tx.WriteResponseHead(ref writer, statusCode, _dialog!.LocalTag, default, copyRecordRoute: true);
            writer.WriteHeader(SipHeaderId.Contact, ContactFor(tx.Protocol));
            WriteCommonHeaders(ref writer, server: true);
            WriteBodyOrNone(ref writer, earlyMediaSdp);
            writer.Flush();
            tx.SendResponse(buffer, statusCode);
            _state = SipCallState.Ringing;
            return true;
        }
    }

    /// <summary>
    /// Incoming: answers with 200 OK carrying <paramref name="sdpAnswer"/>, retransmitted until the
    /// ACK (§13.3.1.4). <see cref="ISipCallObserver.OnAnswered"/> follows the ACK. False when the
    /// call was already answered, rejected or cancelled.
    /// </summary>
    public bool Answer(ReadOnlySpan<byte> sdpAnswer)
    {
        lock (_lock)
        {
            RequireIncoming();
            if (_state is not (SipCallState.Incoming or SipCallState.Ringing) || _inviteServerTx is not { } tx)
                return false;
            SetLocalSdp(sdpAnswer);
            NegotiateIncomingSessionTimer(out int interval, out bool refresherUac);
            tx.Request.TryGetCSeq(out SipCSeq cseq);
            _okCSeq = cseq.Number;
            _ok ??= _agent.Layer.RentBuffer();
            _ok.Clear();
            var writer = new SipMessageWriter(_ok);
            tx.WriteResponseHead(ref writer, 200, _dialog!.LocalTag, default, copyRecordRoute: true);
            writer.WriteHeader(SipHeaderId.Contact, ContactFor(tx.Protocol));
            WriteCommonHeaders(ref writer, server: true);
            WriteSessionExpires(ref writer, interval, refresherUac, requireTimer: true);
            WriteBodyOrNone(ref writer, sdpAnswer);
            writer.Flush();
            _okDestination = CopyDestination(tx.ResponseDestination);
            tx.SendResponse(_ok.WrittenSpan, 200);
            tx.Release();
            _inviteServerTx = null;

            _dialog.State = SipDialogState.Confirmed;
            _answered = true;
            _state = SipCallState.Answered;
            StartOkRetransmissions(forReinvite: false);
            // As UAS of the INVITE: we refresh when the refresher is "uas".
            ArmSessionTimer(interval, weRefresh: interval > 0 && !refresherUac);
            return true;
        }
    }

    /// <summary>Incoming: rejects the call with a final error (486 Busy Here by default). False once answered or over.</summary>
    public bool Reject(int statusCode = 486, string? reasonPhrase = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        if (reasonPhrase is not null && (!System.Text.Ascii.IsValid(reasonPhrase) || reasonPhrase.AsSpan().IndexOfAny('\r', '\n') >= 0))
            throw new ArgumentException("The reason phrase must be one line of ASCII.", nameof(reasonPhrase));
        lock (_lock)
        {
            RequireIncoming();
            return RejectLocked(statusCode, reasonPhrase);
        }
    }

    /// <summary>
    /// Incoming: rejects with a final error and extra header lines (a challenge, Retry-After,
    /// Contact for a redirect...). Names must be tokens, values one line of ASCII.
    /// </summary>
    public bool Reject(int statusCode, string? reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, value) in headers)
        {
            if (string.IsNullOrEmpty(name) || !System.Text.Ascii.IsValid(name) || !SipSyntax.IsToken(Encoding.ASCII.GetBytes(name)))
                throw new ArgumentException($"Header name '{name}' is not a token.", nameof(headers));
            if (value is null || !System.Text.Ascii.IsValid(value) || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
                throw new ArgumentException("Header values must be one line of ASCII.", nameof(headers));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        lock (_lock)
        {
            RequireIncoming();
            return RejectLocked(statusCode, reasonPhrase, headers);
        }
    }

    /// <summary>Incoming: a header of the pending INVITE (first line, as received), or null when absent or no longer pending.</summary>
    public string? GetInviteHeader(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_lock)
        {
            if (_inviteServerTx is not { HasFinalResponse: false } tx)
                return null;
            SipMessage invite = tx.Request;
            return invite.TryGetHeader(Encoding.ASCII.GetBytes(name), out SipHeader header) ? Encoding.UTF8.GetString(invite.GetValue(header)) : null;
        }
    }

    private bool RejectLocked(int statusCode, string? reasonPhrase, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        if (Direction != SipCallDirection.Incoming || _state is not (SipCallState.Incoming or SipCallState.Ringing) || _inviteServerTx is not { } tx)
            return false;
        Span<byte> reason = stackalloc byte[128];
        int n = reasonPhrase is null ? 0 : Encoding.ASCII.GetBytes(reasonPhrase.AsSpan(0, Math.Min(reasonPhrase.Length, reason.Length)), reason);
        SipMessageBuffer buffer = tx.RentBuffer();
        var writer = new SipMessageWriter(buffer);
        tx.WriteResponseHead(ref writer, statusCode, _dialog!.LocalTag, reason.Slice(0, n));
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
                writer.WriteHeader(Encoding.ASCII.GetBytes(name), value);
        }
        if (_agent.UserAgentHeader is { } product)
            writer.WriteHeader(SipHeaderId.Server, product);
        writer.WriteEmptyBody();
        writer.Flush();
        tx.SendResponse(buffer, statusCode);
        Finish(SipCallEndCause.LocalReject, false, statusCode, reasonPhrase);
        return true;
    }

    private void RequireIncoming()
    {
        if (Direction != SipCallDirection.Incoming)
            throw new InvalidOperationException("Only an incoming call is rung, answered or rejected.");
    }

    // ---- CANCEL and the INVITE server transaction ----

    void ISipServerTransactionOwner.OnCancel(SipServerTransaction invite, SipServerTransaction cancel)
    {
        lock (_lock)
        {
            ReadOnlySpan<byte> tag = _dialog is null ? default : _dialog.LocalTag;
            // §9.2: the CANCEL gets 200 whatever happens; the INVITE, when still pending, 487.
            cancel.Respond(200, tag);
            if (ReferenceEquals(invite, _inviteServerTx) && !invite.HasFinalResponse && _state is SipCallState.Incoming or SipCallState.Ringing)
            {
                invite.Respond(487, tag);
                Finish(SipCallEndCause.RemoteCancel, true, 487, null);
            }
        }
    }

    void ISipServerTransactionOwner.OnTimeout(SipServerTransaction transaction)
    {
        // Timer H: the ACK for our error response never came. The call is already over.
    }

    void ISipServerTransactionOwner.OnTransportError(SipServerTransaction transaction)
    {
        lock (_lock)
        {
            if (ReferenceEquals(transaction, _inviteServerTx) && _state is SipCallState.Incoming or SipCallState.Ringing)
                Finish(SipCallEndCause.TransportFailure, false, 503, "transport error");
        }
    }

    // ---- our 2xx until its ACK ----

    private void StartOkRetransmissions(bool forReinvite)
    {
        _awaitingAck = true;
        _okForReinvite = forReinvite;
        CancelTimer(ref _okRetransmitTimer);
        CancelTimer(ref _okTimeoutTimer);
        // §13.3.1.4: T1, doubling up to T2, for every transport (a proxy on the way may use UDP); 64*T1 in all.
        _okInterval = _agent.Timers.T1;
        _okRetransmitTimer = Schedule(OkRetransmitTimer, _okInterval);
        _okTimeoutTimer = Schedule(OkTimeoutTimer, _agent.Timers.TimerH);
    }

    private void RetransmitOk()
    {
        if (!_awaitingAck || _ok is null)
            return;
        _agent.Layer.SendStateless(_ok.WrittenSpan, _okDestination);
        Interlocked.Increment(ref _agent.Counters._retransmissionsSent);
        _okInterval = _agent.Timers.NextTimerG(_okInterval);
        _okRetransmitTimer = Schedule(OkRetransmitTimer, _okInterval);
    }

    private void OnOkNeverAcknowledged()
    {
        if (!_awaitingAck)
            return;
        _awaitingAck = false;
        CancelTimer(ref _okRetransmitTimer);
        // §13.3.1.4: no ACK within 64*T1: the dialog is confirmed but the session ends, with a BYE.
        _state = SipCallState.Answered;
        SendBye(_byeAfterAck != SipCallEndCause.None ? _byeAfterAck : SipCallEndCause.NoAck, null);
    }

    internal void OnAck(SipMessage ack)
    {
        lock (_lock)
        {
            if (!_awaitingAck || !ack.TryGetCSeq(out SipCSeq cseq) || cseq.Number != _okCSeq)
            {
                Interlocked.Increment(ref _agent.Counters._retransmissionsReceived);
                return;
            }
            _awaitingAck = false;
            CancelTimer(ref _okRetransmitTimer);
            CancelTimer(ref _okTimeoutTimer);
            bool reinvite = _okForReinvite;
            if (_byeAfterAck != SipCallEndCause.None)
            {
                // §15: the callee's BYE waited for this ACK.
                SipCallEndCause cause = _byeAfterAck;
                _byeAfterAck = SipCallEndCause.None;
                _state = SipCallState.Answered;
                SendBye(cause, null);
                return;
            }
            if (!reinvite)
                Observer?.OnAnswered(this, ack.Body);
        }
    }

    private SipDestination CopyDestination(in SipDestination destination) =>
        new(destination.Protocol, (_okDestinationSlot ??= new SipSocketAddressSlot()).Store(destination.Address), destination.Connection);

    private static void WriteBodyOrNone(ref SipMessageWriter writer, ReadOnlySpan<byte> sdp)
    {
        if (sdp.IsEmpty)
        {
            writer.WriteEmptyBody();
            return;
        }
        writer.WriteContentType("application/sdp"u8);
        writer.WriteBody(sdp);
    }

    /// <summary>Writes Session-Expires with its refresher (and Require: timer in a 2xx whose refresher is the UAC, RFC 4028 §9).</summary>
    private static void WriteSessionExpires(ref SipMessageWriter writer, int interval, bool refresherUac, bool requireTimer)
    {
        if (interval <= 0)
            return;
        Span<byte> value = stackalloc byte[32];
        System.Buffers.Text.Utf8Formatter.TryFormat(interval, value, out int n);
        ReadOnlySpan<byte> refresher = refresherUac ? ";refresher=uac"u8 : ";refresher=uas"u8;
        refresher.CopyTo(value.Slice(n));
        writer.WriteHeader(SipHeaderId.SessionExpires, value.Slice(0, n + refresher.Length));
        if (requireTimer && refresherUac)
            writer.WriteHeader(SipHeaderId.Require, "timer"u8);
    }

    /// <summary>RFC 4028 §9: our 2xx to the INVITE: the caller's interval (or ours when it supports timers), and who refreshes.</summary>
    private void NegotiateIncomingSessionTimer(out int interval, out bool refresherUac)
    {
        interval = 0;
        refresherUac = false;
        if (_offeredSessionInterval > 0)
        {
            interval = _offeredSessionInterval;
            refresherUac = _offeredRefresherUac || (!_offeredRefresherUas && _callerSupportsTimer && _agent.Options.IncomingRefresherIsCaller);
        }
        else if (_callerSupportsTimer && _agent.Options.IncomingSessionExpires > 0)
        {
            interval = _agent.Options.IncomingSessionExpires;
            refresherUac = _agent.Options.IncomingRefresherIsCaller;
        }
        // Without "timer" support the caller cannot refresh: we do (§9).
        if (!_callerSupportsTimer)
            refresherUac = false;
    }
}
