using System.Text;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Dialogs;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// One call leg, outgoing (we are the UAC: <see cref="SipUserAgent.PlaceCall"/>) or incoming (we are
/// the UAS: <see cref="ISipIncomingCallHandler"/>): its INVITE transaction, its dialog(s), and
/// everything that happens in them until BYE. Methods may be called from any thread; they return
/// false when the call is not in a state where they apply.
/// </summary>
/// <remarks>
/// The call is split by concern: this file holds the shared state and the end of a call; the
/// outgoing side (INVITE, forks, CANCEL, authentication, failover), the incoming side (ring,
/// answer, 2xx retransmission, CANCEL received) and in-dialog requests (BYE, re-INVITE, UPDATE,
/// INFO, OPTIONS, session timers) live in their own files.
/// </remarks>
public sealed partial class SipCall : ISipClientTransactionOwner, ISipServerTransactionOwner, ITimerTarget
{
    private const int RingTimer = 1;
    private const int CancelGuardTimer = 2;
    private const int OkRetransmitTimer = 3;
    private const int OkTimeoutTimer = 4;
    private const int SessionRefreshTimer = 5;
    private const int SessionExpiryTimer = 6;

    // What an in-dialog client transaction was for (its OwnerState); compared by reference.
    private static readonly string s_purposeCancel = "CANCEL";
    private static readonly string s_purposeBye = "BYE";
    private static readonly string s_purposeReinvite = "re-INVITE";
    private static readonly string s_purposeRefresh = "refresh";
    private static readonly string s_purposeInfo = "INFO";

    private readonly Lock _lock = new();
    private readonly SipUserAgent _agent;
    private SipSocketAddressSlot? _okDestinationSlot;
    private SipDialog? _dialog;
    private ulong _localTagValue;
    private volatile SipCallState _state;
    private SipCallEnd _end;
    private bool _answered;
    private string? _callIdText;
    private SipMessageBuffer? _localSdp;

    private SipCall(SipUserAgent agent, SipCallDirection direction, SipTrunk? trunk)
    {
        _agent = agent;
        Direction = direction;
        Trunk = trunk;
    }

    /// <summary>Outgoing (we sent the INVITE) or incoming.</summary>
    public SipCallDirection Direction { get; }

    /// <summary>Where the call stands.</summary>
    public SipCallState State => _state;

    /// <summary>The trunk of an outgoing call; null for an incoming one.</summary>
    public SipTrunk? Trunk { get; }

    /// <summary>
    /// Told about everything that happens to the call. An incoming call's handler sets it. Cleared once
    /// the call has ended and told it so (see <see cref="Finish"/>).
    /// </summary>
    public ISipCallObserver? Observer { get; set; }

    /// <summary>Free for the layer above (its call record, say). Cleared once the call has ended, like <see cref="Observer"/>.</summary>
    public object? UserState { get; set; }

    /// <summary>How the call ended; default while it has not.</summary>
    public SipCallEnd End
    {
        get
        {
            lock (_lock)
                return _end;
        }
    }

    /// <summary>True once the call was answered (2xx).</summary>
    public bool WasAnswered => Volatile.Read(ref _answered);

    /// <summary>The Call-ID (made on first use).</summary>
    public string CallId
    {
        get
        {
            lock (_lock)
                return _callIdText ??= _dialog is null ? "" : Encoding.ASCII.GetString(_dialog.CallId);
        }
    }

    /// <summary>Our tag in the dialog.</summary>
    public string LocalTag
    {
        get
        {
            lock (_lock)
                return _dialog is null ? "" : Encoding.ASCII.GetString(_dialog.LocalTag);
        }
    }

    /// <summary>The peer's tag, once known.</summary>
    public string RemoteTag
    {
        get
        {
            lock (_lock)
                return _dialog is null ? "" : Encoding.ASCII.GetString(_dialog.RemoteTag);
        }
    }

    /// <summary>The peer's identity: the To of an outgoing call, the From of an incoming one (its name-addr, with tag).</summary>
    public string RemoteParty
    {
        get
        {
            lock (_lock)
                return _dialog is null ? "" : Encoding.UTF8.GetString(_dialog.RemoteParty);
        }
    }

    /// <summary>Our identity: the From of an outgoing call, the To of an incoming one (name-addr, with tag).</summary>
    public string LocalParty
    {
        get
        {
            lock (_lock)
                return _dialog is null ? "" : Encoding.UTF8.GetString(_dialog.LocalParty);
        }
    }

    /// <summary>The RFC 4028 session interval in force (seconds), 0 when none.</summary>
    public int SessionInterval
    {
        get
        {
            lock (_lock)
                return _sessionInterval;
        }
    }

    /// <summary>True when we send the session refreshes (RFC 4028 refresher), false when the peer does.</summary>
    public bool IsSessionRefresher
    {
        get
        {
            lock (_lock)
                return _weRefresh;
        }
    }

    internal bool HasCallId(ReadOnlySpan<byte> callId)
    {
        lock (_lock)
            return _dialog is not null && _dialog.CallId.SequenceEqual(callId);
    }

    /// <summary>Hangs up: BYE once answered; CANCEL (outgoing) or 480 (incoming) before. False when already ending.</summary>
    public bool HangUp()
    {
        lock (_lock)
        {
            switch (_state)
            {
                case SipCallState.Answered:
                    return SendBye(SipCallEndCause.LocalHangup, null);
                case SipCallState.Calling or SipCallState.Proceeding or SipCallState.Ringing when Direction == SipCallDirection.Outgoing:
                    return CancelLocked(SipCallEndCause.Canceled);
                case SipCallState.Incoming or SipCallState.Ringing when Direction == SipCallDirection.Incoming:
                    return RejectLocked(480, null);
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// Hangs up like <see cref="HangUp()"/>, and when that sends a BYE, tells the far end why in its
    /// Reason header (RFC 3326), e.g. <c>SIP;cause=408;text="media timeout"</c>.
    /// </summary>
    /// <param name="byeReason">The Reason header's value; one line, no CR or LF.</param>
    public bool HangUp(string byeReason)
    {
        ArgumentException.ThrowIfNullOrEmpty(byeReason);
        if (byeReason.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException("A header value is one line.", nameof(byeReason));
        lock (_lock)
        {
            if (_state == SipCallState.Answered)
                return SendBye(SipCallEndCause.LocalHangup, byeReason);
        }
        // Not answered (a CANCEL has no Reason of ours to carry) or already ending.
        return HangUp();
    }

    internal void Shutdown()
    {
        lock (_lock)
        {
            if (_state == SipCallState.Answered)
                SendBye(SipCallEndCause.Shutdown, null);
            else if (Direction == SipCallDirection.Outgoing)
                CancelLocked(SipCallEndCause.Shutdown);
            else if (_state is SipCallState.Incoming or SipCallState.Ringing)
                RejectLocked(503, "Shutting Down");
            if (_state != SipCallState.Ended)
                Finish(SipCallEndCause.Shutdown, false, 0, null);
        }
    }

    // ---- timers ----

    void ITimerTarget.OnTimer(int kind, TimerHandle handle)
    {
        lock (_lock)
        {
            if (_state == SipCallState.Ended)
                return;
            switch (kind)
            {
                case RingTimer when handle == _ringTimer:
                    _ringTimer = default;
                    CancelLocked(SipCallEndCause.RingTimeout);
                    break;
                case CancelGuardTimer when handle == _cancelGuardTimer:
                    _cancelGuardTimer = default;
                    OnCancelGuardExpired();
                    break;
                case OkRetransmitTimer when handle == _okRetransmitTimer:
                    _okRetransmitTimer = default;
                    RetransmitOk();
                    break;
                case OkTimeoutTimer when handle == _okTimeoutTimer:
                    _okTimeoutTimer = default;
                    OnOkNeverAcknowledged();
                    break;
                case SessionRefreshTimer when handle == _refreshTimer:
                    _refreshTimer = default;
                    SendSessionRefresh();
                    break;
                case SessionExpiryTimer when handle == _expiryTimer:
                    _expiryTimer = default;
                    OnSessionExpired();
                    break;
            }
        }
    }

    private TimerHandle Schedule(int kind, TimeSpan delay) => _agent.Wheel.Schedule(this, kind, delay);

    private void CancelTimer(ref TimerHandle handle)
    {
        if (handle.IsAllocated)
            _agent.Wheel.Cancel(handle);
        handle = default;
    }

    // ---- the end ----

    /// <summary>
    /// Ends the call once: stops its timers, lets go of its transactions, buffers and dialogs,
    /// forgets it in the user agent, and tells the observer (failed or ended).
    /// </summary>
    private void Finish(SipCallEndCause cause, bool byRemote, int statusCode, string? reason)
    {
        if (_state == SipCallState.Ended)
            return;
        _state = SipCallState.Ended;
        _end = new SipCallEnd(cause, byRemote, statusCode, reason);
        CancelTimer(ref _ringTimer);
        CancelTimer(ref _cancelGuardTimer);
        CancelTimer(ref _okRetransmitTimer);
        CancelTimer(ref _okTimeoutTimer);
        CancelTimer(ref _refreshTimer);
        CancelTimer(ref _expiryTimer);
        if (_inviteTx is not null)
        {
            _inviteTx.Release();
            _inviteTx = null;
        }
        if (_inviteServerTx is not null)
        {
            _inviteServerTx.Release();
            _inviteServerTx = null;
        }
        ReturnBuffer(ref _ack);
        ReturnBuffer(ref _ok);
        ReturnBuffer(ref _localSdp);
        ReleaseForks();
        if (_dialog is not null)
        {
            _callIdText ??= Encoding.ASCII.GetString(_dialog.CallId);
            _agent.ReturnDialog(_dialog);
            _dialog = null;
        }
        _agent.Unregister(_localTagValue, this);

        // An ended call can outlive its end by up to 32 s: its INVITE transaction keeps it as owner
        // to absorb retransmitted 2xx (Timer M, RFC 6026 §8.4), a BYE's for Timer K. It lets go of
        // everything of the layer above here, so that the observer's world (its media, sockets and
        // buffers) is freed when the call ends, not half a minute later: at a thousand calls a second
        // that is the difference between a few hundred calls' worth of memory and thirty thousand.
        ISipCallObserver? observer = Observer;
        Observer = null;
        UserState = null;
        _request = null; // an outgoing call's SDP offer and headers: nothing sends an INVITE any more
        if (observer is null)
            return;
        if (_answered)
            observer.OnEnded(this, _end);
        else
            observer.OnFailed(this, _end);
    }

    private void ReturnBuffer(ref SipMessageBuffer? buffer)
    {
        if (buffer is not null)
        {
            _agent.Layer.ReturnBuffer(buffer);
            buffer = null;
        }
    }

    private void SetLocalSdp(ReadOnlySpan<byte> sdp)
    {
        // Sized by the SDP (a small buffer for the usual few hundred bytes): it is kept for the call.
        _localSdp ??= _agent.Layer.RentBuffer(sdp.Length);
        _localSdp.CopyFrom(sdp);
    }

    // ---- message helpers ----

    private ReadOnlySpan<byte> ViaHost => Trunk?.ViaHost ?? _agent.ViaHost;

    private int ViaPort => Trunk?.AdvertisedPort ?? _agent.AdvertisedPort;

    private ReadOnlySpan<byte> ContactFor(SipTransportProtocol protocol) => protocol == SipTransportProtocol.Tcp
        ? Trunk?.ContactTcp ?? _agent.ContactTcp
        : Trunk?.ContactUdp ?? _agent.ContactUdp;

    private void WriteCommonHeaders(ref SipMessageWriter writer, bool server)
    {
        writer.WriteHeader(SipHeaderId.Allow, _agent.Layer.AllowHeader);
        writer.WriteHeader(SipHeaderId.Supported, "timer"u8);
        if (_agent.UserAgentHeader is { } product)
            writer.WriteHeader(server ? SipHeaderId.Server : SipHeaderId.UserAgent, product);
    }

    private static void WriteAuthorization(ref SipMessageWriter writer, IReadOnlyList<DigestAuthorization>? headers)
    {
        if (headers is null)
            return;
        foreach (DigestAuthorization header in headers)
            writer.WriteHeader(header.IsProxy ? SipHeaderId.ProxyAuthorization : SipHeaderId.Authorization, header.Value);
    }

    private static string? ReasonText(SipMessage response) =>
        response.ReasonPhrase.IsEmpty ? null : Encoding.UTF8.GetString(response.ReasonPhrase);

    /// <inheritdoc/>
    public override string ToString() => $"{Direction} call {CallId} {State}";
}
