using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Dialogs;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Engine.Sip.UserAgent;

// The outgoing side (we are the UAC): the INVITE and its retries (credentials, a larger session
// interval, the next target), provisional responses and early dialogs (forks), the 2xx and its
// ACK, ACK-then-BYE for unwanted 2xx, and CANCEL.
public sealed partial class SipCall
{
    /// <summary>RFC 3261 §18.1.1: a request within 200 bytes of a 1500-byte MTU goes over TCP.</summary>
    private const int MaxUdpRequestSize = 1300;

    /// <summary>Early dialogs kept per call besides the first (forking proxies, RFC 3261 §13.2.2.4).</summary>
    private const int MaxForks = 8;

    private SipCallRequest? _request;
    private SipClientTransaction? _inviteTx;
    private long _inviteTxId = -1;
    private IReadOnlyList<SipTrunkTarget>? _targets;
    private int _targetIndex;
    private SipTrunkTarget? _currentTarget;
    private bool _provisionalSeen;
    private bool _tryingReported;
    private bool _cancelRequested;
    private bool _cancelSent;
    private SipCallEndCause _cancelCause;
    private DigestAuthAttempt? _auth;
    private IReadOnlyList<DigestAuthorization>? _authHeaders;
    private int _requestedSessionExpires;
    private int _minSessionExpires;
    private int _sessionRetries;
    private bool _overTcpForSize;
    private bool _forceUdp;
    private SipMessageBuffer? _ack;
    private uint _ackCSeq;
    private TimerHandle _ringTimer;
    private TimerHandle _cancelGuardTimer;
    private SipDialog?[]? _forks;
    private int _forkCount;

    internal static SipCall CreateOutgoing(SipUserAgent agent, SipCallRequest request, ISipCallObserver observer)
    {
        SipTrunk trunk = request.Trunk;
        var call = new SipCall(agent, SipCallDirection.Outgoing, trunk)
        {
            Observer = observer,
            _request = request,
            _requestedSessionExpires = trunk.Options.SessionExpires ?? 0,
        };
        ulong tag = agent.Ids.NewTag();
        call._localTagValue = tag;
        Span<byte> tagText = stackalloc byte[SipHexId.Length];
        SipIdGenerator.WriteTag(tagText, tag);
        Span<byte> callId = stackalloc byte[SipIdGenerator.CallIdLength];
        SipIdGenerator.NewCallId(callId);
        Span<byte> party = stackalloc byte[1536];
        int length = WriteLocalParty(party, request, trunk.FromHost, tagText);

        SipDialog dialog = agent.RentDialog();
        dialog.PrepareAsUac(callId, party.Slice(0, length), tagText, 1);
        call._dialog = dialog;
        call._state = SipCallState.Calling;
        call.SetLocalSdp(request.SdpOffer.Span);
        agent.Register(tag, call);
        return call;
    }

    // From: ["display name" ]<sip:caller-id@from-host>;tag=... (RFC 3261 §8.1.1.3).
    private static int WriteLocalParty(Span<byte> destination, SipCallRequest request, ReadOnlySpan<byte> fromHost, ReadOnlySpan<byte> tag)
    {
        int n = 0;
        if (!string.IsNullOrEmpty(request.DisplayName))
        {
            Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(request.DisplayName.Length)];
            int count = Encoding.UTF8.GetBytes(request.DisplayName, utf8);
            destination[n++] = (byte)'"';
            foreach (byte b in utf8.Slice(0, count))
            {
                // quoted-pair for '"' and '\' (RFC 3261 §25.1).
                if (b is (byte)'"' or (byte)'\\')
                    destination[n++] = (byte)'\\';
                destination[n++] = b;
            }
            destination[n++] = (byte)'"';
            destination[n++] = (byte)' ';
        }
        n += Put(destination.Slice(n), "<sip:"u8);
        n += Encoding.ASCII.GetBytes(request.CallerId, destination.Slice(n));
        destination[n++] = (byte)'@';
        n += Put(destination.Slice(n), fromHost);
        n += Put(destination.Slice(n), ">;tag="u8);
        n += Put(destination.Slice(n), tag);
        return n;
    }

    private static int Put(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    /// <summary>Starts the call: ring timer, then the INVITE (after resolving the trunk if needed).</summary>
    internal void Launch()
    {
        lock (_lock)
        {
            _ringTimer = Schedule(RingTimer, _request!.RingTimeout);
            if (Trunk!.TryGetTargets(out IReadOnlyList<SipTrunkTarget> targets))
            {
                _targets = targets;
                SendInvite();
                return;
            }
        }
        _ = ResolveThenInviteAsync();
    }

    private async Task ResolveThenInviteAsync()
    {
        IReadOnlyList<SipTrunkTarget> targets;
        try
        {
            targets = await Trunk!.ResolveAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SipResolutionException or ArgumentException or OperationCanceledException)
        {
            lock (_lock)
                Finish(SipCallEndCause.ResolutionFailed, false, 503, e.Message);
            return;
        }
        lock (_lock)
        {
            if (_state != SipCallState.Calling)
                return;
            _targets = targets;
            SendInvite();
        }
    }

    /// <summary>Cancels an outgoing call that was not answered yet (RFC 3261 §9.1). False once answered or over.</summary>
    public bool Cancel()
    {
        lock (_lock)
            return CancelLocked(SipCallEndCause.Canceled);
    }

    private bool CancelLocked(SipCallEndCause cause)
    {
        if (Direction != SipCallDirection.Outgoing || _answered || _cancelRequested
            || _state is SipCallState.Ended or SipCallState.Ending)
            return false;
        _cancelRequested = true;
        _cancelCause = cause;
        CancelTimer(ref _ringTimer);
        if (_inviteTx is null)
        {
            // Still resolving the trunk: nothing was sent, so nothing to cancel on the wire.
            Finish(cause, false, 487, null);
            return true;
        }
        // §9.1: a CANCEL only once a provisional response arrived; otherwise it goes with the first one.
        if (_provisionalSeen)
            SendCancelNow();
        return true;
    }

    private void SendCancelNow()
    {
        if (_cancelSent || _inviteTx is null)
            return;
        SipClientTransaction? cancel = _agent.Layer.SendCancel(_inviteTx, this);
        if (cancel is null)
            return;
        _cancelSent = true;
        cancel.OwnerState = s_purposeCancel;
        cancel.Release();
        // §9.1: no final response within 64*T1 of the CANCEL: the INVITE is considered timed out.
        _cancelGuardTimer = Schedule(CancelGuardTimer, _agent.Timers.TimerB);
    }

    private void OnCancelGuardExpired()
    {
        if (_answered)
            return;
        _inviteTx?.Abandon();
        Finish(_cancelCause, false, 408, "no final response after CANCEL");
    }

    private void SendInvite()
    {
        SipTrunkTarget target = _targets![_targetIndex];
        _currentTarget = target;
        SipTransportProtocol protocol = target.Protocol;
        if (_overTcpForSize && !_forceUdp)
            protocol = SipTransportProtocol.Tcp;
        SipClientTransaction tx = CreateInvite(target, protocol);
        if (protocol == SipTransportProtocol.Udp && !_forceUdp && Trunk!.Options.LargeRequestsOverTcp && Trunk.TcpAvailable
            && tx.RequestBuffer.Length > MaxUdpRequestSize)
        {
            // §18.1.1: too close to the path MTU for UDP; TCP it is (and UDP again should TCP fail).
            tx.Release();
            _overTcpForSize = true;
            tx = CreateInvite(target, SipTransportProtocol.Tcp);
        }
        _inviteTx?.Release();
        _inviteTx = tx;
        _inviteTxId = tx.Id;
        _provisionalSeen = false;
        tx.Start();
    }

    private SipClientTransaction CreateInvite(SipTrunkTarget target, SipTransportProtocol protocol)
    {
        SipClientTransaction tx = _agent.Layer.CreateClientTransaction(SipMethod.Invite, new SipDestination(protocol, target.Address), this);
        SipCallRequest request = _request!;
        SipDialog dialog = _dialog!;
        var writer = new SipMessageWriter(tx.RequestBuffer);
        Span<byte> text = stackalloc byte[2048];
        writer.WriteRequestLine("INVITE"u8, Ascii(request.RequestUri, text));
        writer.WriteVia(SipTransportProtocols.ViaToken(protocol), ViaHost, ViaPort, tx.Branch);
        writer.WriteMaxForwards();
        writer.WriteHeader(SipHeaderId.From, dialog.LocalParty);
        writer.WriteRaw("To: <"u8);
        writer.WriteRaw(Ascii(request.ToUri ?? request.RequestUri, text));
        writer.WriteRaw(">\r\n"u8);
        writer.WriteCallId(dialog.CallId);
        writer.WriteCSeq(dialog.LocalCSeq, SipMethod.Invite);
        writer.WriteHeader(SipHeaderId.Contact, ContactFor(protocol));
        if (request.PAssertedIdentity is { } identity)
            writer.WriteHeader(SipHeaderId.PAssertedIdentity, identity);
        WriteAuthorization(ref writer, _authHeaders);
        WriteCommonHeaders(ref writer, server: false);
        if (_requestedSessionExpires > 0)
        {
            // RFC 4028 §7.1: ask for an interval; the refresher is left to the UAS to choose.
            writer.WriteHeader(SipHeaderId.SessionExpires, _requestedSessionExpires);
            if (_minSessionExpires > 0)
                writer.WriteHeader(SipHeaderId.MinSE, _minSessionExpires);
        }
        if (request.ExtraHeaders is { } extra)
        {
            foreach (var (name, value) in extra)
                writer.WriteHeader(Ascii(name, text), value);
        }
        writer.WriteContentType("application/sdp"u8);
        writer.WriteBody(_localSdp!.WrittenSpan);
        writer.Flush();
        return tx;
    }

    private static ReadOnlySpan<byte> Ascii(string value, Span<byte> buffer)
    {
        int n = Encoding.ASCII.GetBytes(value, buffer);
        return buffer.Slice(0, n);
    }

    // ---- responses to our requests ----

    void ISipClientTransactionOwner.OnResponse(SipClientTransaction transaction, SipMessage response)
    {
        lock (_lock)
        {
            object? purpose = transaction.OwnerState;
            if (purpose is SipDialog discarded)
            {
                if (response.StatusCode >= 200)
                    DropDiscardedDialog(transaction, discarded);
                return;
            }
            if (transaction.IsInvite && transaction.Id == _inviteTxId)
            {
                OnInviteResponse(transaction, response);
                return;
            }
            if (ReferenceEquals(purpose, s_purposeCancel) || purpose is null)
                return;
            OnInDialogResponse(transaction, purpose, response);
        }
    }

    void ISipClientTransactionOwner.OnTimeout(SipClientTransaction transaction) => OnClientFailure(transaction, 408);

    void ISipClientTransactionOwner.OnTransportError(SipClientTransaction transaction) => OnClientFailure(transaction, 503);

    private void OnClientFailure(SipClientTransaction transaction, int statusCode)
    {
        lock (_lock)
        {
            object? purpose = transaction.OwnerState;
            if (purpose is SipDialog discarded)
            {
                DropDiscardedDialog(transaction, discarded);
                return;
            }
            if (transaction.IsInvite && transaction.Id == _inviteTxId)
            {
                if (statusCode == 408)
                    OnInviteTimeout();
                else
                    OnInviteTransportError();
                return;
            }
            if (ReferenceEquals(purpose, s_purposeCancel) || purpose is null)
                return;
            OnInDialogFailure(purpose, statusCode);
        }
    }

    private void OnInviteResponse(SipClientTransaction transaction, SipMessage response)
    {
        int status = response.StatusCode;
        if (_state == SipCallState.Ended)
        {
            // A 2xx for a call we already gave up on (it crossed our CANCEL, or we shut down):
            // the far end thinks the call is up, so ACK it and hang up (§15, §13.2.2.4).
            if (status is >= 200 and < 300 && !_answered)
                DiscardDialog(response, transaction.Destination);
            return;
        }
        if (status < 200)
            OnInviteProvisional(transaction, response);
        else if (status < 300)
            OnInviteSuccess(transaction, response);
        else
            OnInviteFailure(response);
    }

    private void OnInviteProvisional(SipClientTransaction transaction, SipMessage response)
    {
        if (_answered)
            return;
        _provisionalSeen = true;
        if (response.TryGetTo(out SipNameAddress to) && to.HasTag)
            TrackEarlyDialog(transaction, response, to.Tag);
        if (_cancelRequested)
        {
            SendCancelNow();
            return;
        }
        int status = response.StatusCode;
        if (status == 100)
        {
            if (_state == SipCallState.Calling)
                _state = SipCallState.Proceeding;
            if (!_tryingReported)
            {
                _tryingReported = true;
                Observer?.OnTrying(this);
            }
            return;
        }
        _state = SipCallState.Ringing;
        Observer?.OnRinging(this, status, IsSdp(response) ? response.Body : default);
    }

    // §12.1.2 / §13.2.2.4: each To tag in a provisional response is an early dialog of its own.
    private void TrackEarlyDialog(SipClientTransaction transaction, SipMessage response, ReadOnlySpan<byte> remoteTag)
    {
        SipDialog primary = _dialog!;
        if (!primary.IsEstablished)
        {
            primary.EstablishAsUac(response, transaction.Destination);
            return;
        }
        if (primary.RemoteTag.SequenceEqual(remoteTag))
        {
            primary.UpdateFromResponse(response);
            return;
        }
        for (int i = 0; i < _forkCount; i++)
        {
            if (_forks![i]!.RemoteTag.SequenceEqual(remoteTag))
            {
                _forks[i]!.UpdateFromResponse(response);
                return;
            }
        }
        if (_forkCount == MaxForks)
            return;
        SipDialog fork = _agent.RentDialog();
        fork.PrepareAsUac(primary.CallId, primary.LocalParty, primary.LocalTag, primary.LocalCSeq);
        fork.EstablishAsUac(response, transaction.Destination);
        _forks ??= new SipDialog?[MaxForks];
        _forks[_forkCount++] = fork;
    }

    private void OnInviteSuccess(SipClientTransaction transaction, SipMessage response)
    {
        response.TryGetTo(out SipNameAddress to);
        ReadOnlySpan<byte> remoteTag = to.Tag;
        SipDialog primary = _dialog!;
        if (_answered)
        {
            if (primary.RemoteTag.SequenceEqual(remoteTag) && response.TryGetCSeq(out SipCSeq cseq) && cseq.Number == _ackCSeq && _ack is not null)
            {
                // §13.2.2.4: every retransmission of the 2xx gets the same ACK again.
                _agent.Layer.SendStateless(_ack.WrittenSpan, primary.NextHop);
                Interlocked.Increment(ref _agent.Counters._retransmissionsSent);
            }
            else if (!primary.RemoteTag.SequenceEqual(remoteTag))
            {
                // §13.2.2.4: a second fork answered too: ACK it, then BYE it.
                DiscardDialog(response, transaction.Destination);
            }
            return;
        }
        if (_cancelRequested)
        {
            // The 2xx crossed our CANCEL: the callee picked up as we gave up. ACK and BYE (§9.1, §15).
            DiscardDialog(response, transaction.Destination);
            Finish(_cancelCause, false, 487, "answered as the call was cancelled");
            return;
        }

        SipDialog chosen = ChooseDialogFor(remoteTag);
        if (!chosen.IsEstablished)
            chosen.EstablishAsUac(response, transaction.Destination);
        else
            chosen.UpdateFromResponse(response);
        chosen.State = SipDialogState.Confirmed;
        ReleaseForks();

        _ackCSeq = chosen.LocalCSeq;
        SendAndKeepAck(chosen, _ackCSeq);
        _answered = true;
        _state = SipCallState.Answered;
        CancelTimer(ref _ringTimer);
        _inviteTx?.Release();
        _inviteTx = null;
        if (_currentTarget is not null)
            Trunk!.MarkSucceeded(_currentTarget);
        ApplySessionTimerFromResponse(response);
        Observer?.OnAnswered(this, IsSdp(response) ? response.Body : default);
    }

    // The dialog a 2xx confirms: the early dialog with its tag, or the first dialog (§13.2.2.4).
    private SipDialog ChooseDialogFor(ReadOnlySpan<byte> remoteTag)
    {
        SipDialog primary = _dialog!;
        if (!primary.IsEstablished || primary.RemoteTag.SequenceEqual(remoteTag))
            return primary;
        for (int i = 0; i < _forkCount; i++)
        {
            SipDialog fork = _forks![i]!;
            if (fork.RemoteTag.SequenceEqual(remoteTag))
            {
                _forks[i] = primary;
                _dialog = fork;
                return fork;
            }
        }
        // A fork we never heard a provisional from: a fresh dialog, the early one goes.
        SipDialog fresh = _agent.RentDialog();
        fresh.PrepareAsUac(primary.CallId, primary.LocalParty, primary.LocalTag, primary.LocalCSeq);
        _dialog = fresh;
        _forks ??= new SipDialog?[MaxForks];
        if (_forkCount < MaxForks)
            _forks[_forkCount++] = primary;
        else
            _agent.ReturnDialog(primary);
        return fresh;
    }

    private void ReleaseForks()
    {
        for (int i = 0; i < _forkCount; i++)
        {
            _agent.ReturnDialog(_forks![i]!);
            _forks[i] = null;
        }
        _forkCount = 0;
    }

    /// <summary>
    /// The ACK for a 2xx (§13.2.2.4): a request of its own in the dialog, with the INVITE's CSeq
    /// number, a new branch, the route set, and the INVITE's credentials (§22.1). Kept in
    /// <paramref name="buffer"/> to be sent again for each 2xx retransmission.
    /// </summary>
    private void SendAck(SipDialog dialog, uint cseq, SipMessageBuffer buffer)
    {
        buffer.Clear();
        SipDestination destination = dialog.NextHop;
        var writer = new SipMessageWriter(buffer);
        Span<byte> branch = stackalloc byte[SipBranch.Length];
        SipBranch.Write(branch, (ulong)Random.Shared.NextInt64());
        dialog.WriteRequestHead(ref writer, SipMethod.Ack, cseq, SipTransportProtocols.ViaToken(destination.Protocol), ViaHost, ViaPort, branch);
        WriteAuthorization(ref writer, _authHeaders);
        writer.WriteEmptyBody();
        writer.Flush();
        _agent.Counters.RequestSent(SipMethod.Ack);
        if (destination.IsValid)
            _agent.Layer.SendStateless(buffer.WrittenSpan, destination);
    }

    /// <summary>
    /// Sends the ACK for a 2xx and keeps a copy in a buffer of its own size class: an ACK is a few
    /// hundred bytes, held for the whole call to answer 2xx retransmissions, so a small buffer instead
    /// of a full message buffer is 1.5 KB less per established call.
    /// </summary>
    private void SendAndKeepAck(SipDialog dialog, uint cseq)
    {
        SipMessageBuffer scratch = SipTransactionLayer.ScratchBuffer;
        SendAck(dialog, cseq, scratch);
        ReturnBuffer(ref _ack);
        _ack = _agent.Layer.Keep(scratch.WrittenSpan);
    }

    /// <summary>ACK then BYE for a 2xx we do not want (another fork, or one that crossed our CANCEL).</summary>
    private void DiscardDialog(SipMessage response, in SipDestination fallback)
    {
        if (!response.TryGetFrom(out SipNameAddress from) || !response.TryGetCSeq(out SipCSeq cseq))
            return;
        SipDialog dialog = _agent.RentDialog();
        dialog.InitializeAsUac(response.CallId, response.GetValue(SipHeaderId.From), from.Tag, cseq.Number, response, fallback);
        dialog.State = SipDialogState.Confirmed;
        SendAck(dialog, cseq.Number, SipTransactionLayer.ScratchBuffer);
        SipClientTransaction? bye = SendInDialogRequest(dialog, SipMethod.Bye, dialog, default, default, contact: false, sessionTimer: false, null);
        if (bye is null)
            _agent.ReturnDialog(dialog);
        else
            bye.Release();
    }

    private void DropDiscardedDialog(SipClientTransaction transaction, SipDialog dialog)
    {
        // The BYE of a discarded dialog is over; its dialog goes back to the pool, once.
        transaction.OwnerState = null;
        _agent.ReturnDialog(dialog);
    }

    private void OnInviteFailure(SipMessage response)
    {
        int status = response.StatusCode;
        ReleaseForks();
        _dialog!.ForgetRemote();
        if (!_cancelRequested)
        {
            if (status is 401 or 407 && TryAuthenticate(response))
                return;
            if (status == 422 && TryLargerSessionInterval(response))
                return;
            if (status == 503 && TryNextTarget(RetryAfter(response)))
                return;
        }
        SipCallEndCause cause = _cancelRequested ? _cancelCause
            : status is 401 or 407 ? SipCallEndCause.AuthenticationFailed
            : SipCallEndCause.Rejected;
        Finish(cause, !_cancelRequested, status, ReasonText(response));
    }

    private void OnInviteTimeout()
    {
        if (_answered)
            return;
        if (_cancelRequested)
        {
            Finish(_cancelCause, false, 408, "no answer to the INVITE");
            return;
        }
        // RFC 3263 §4.3: a target that does not answer at all is skipped for the next one.
        if (!_provisionalSeen && TryNextTarget(null))
            return;
        Finish(SipCallEndCause.Timeout, false, 408, "Request Timeout");
    }

    private void OnInviteTransportError()
    {
        if (_answered)
            return;
        if (_overTcpForSize && !_forceUdp)
        {
            // §18.1.1: TCP chosen only for size and refused: retry over UDP.
            _forceUdp = true;
            _dialog!.ForgetRemote();
            SendInvite();
            return;
        }
        if (!_cancelRequested && TryNextTarget(null))
            return;
        Finish(_cancelRequested ? _cancelCause : SipCallEndCause.TransportFailure, false, 503, "transport error");
    }

    /// <summary>§22.2/§22.3: re-send the INVITE with credentials, new CSeq, same Call-ID and From tag, new branch; never loop.</summary>
    private bool TryAuthenticate(SipMessage response)
    {
        DigestAuthenticator? authenticator = Trunk!.Authenticator;
        if (authenticator is null)
            return false;
        var challenges = new List<DigestChallenge>(2);
        CollectChallenges(response, SipHeaderId.WwwAuthenticate, isProxy: false, challenges);
        CollectChallenges(response, SipHeaderId.ProxyAuthenticate, isProxy: true, challenges);
        _auth ??= new DigestAuthAttempt(authenticator);
        if (!_auth.OnChallenge(response.StatusCode, challenges).ShouldRetry)
            return false;
        _authHeaders = _auth.Authorize("INVITE", _request!.RequestUri);
        Interlocked.Increment(ref _agent.Counters._authRetries);
        _dialog!.LocalCSeq++;
        SendInvite();
        return true;
    }

    internal static void CollectChallenges(SipMessage response, SipHeaderId id, bool isProxy, List<DigestChallenge> challenges)
    {
        foreach (SipHeader header in response.GetHeaders(id))
            DigestChallengeParser.TryParseAll(Encoding.UTF8.GetString(response.GetValue(header)), isProxy, challenges, out _);
    }

    /// <summary>RFC 4028 §7.4: a 422 says our interval is too small; ask again with its Min-SE.</summary>
    private bool TryLargerSessionInterval(SipMessage response)
    {
        if (++_sessionRetries > 2 || !SipSessionExpires.TryParse(response.GetValue(SipHeaderId.MinSE), out SipSessionExpires minSe))
            return false;
        int required = (int)Math.Min(minSe.DeltaSeconds, 86400);
        if (required <= _requestedSessionExpires && _requestedSessionExpires > 0)
            return false;
        _requestedSessionExpires = required;
        _minSessionExpires = required;
        _dialog!.LocalCSeq++;
        SendInvite();
        return true;
    }

    /// <summary>RFC 3263 §4.3: the current target failed (timeout or 503); try the next one.</summary>
    private bool TryNextTarget(TimeSpan? holdDown)
    {
        if (_currentTarget is not null)
            Trunk!.MarkFailed(_currentTarget, holdDown);
        if (_targets is null || _targetIndex + 1 >= _targets.Count)
            return false;
        _targetIndex++;
        _overTcpForSize = _forceUdp = false;
        _dialog!.ForgetRemote();
        SendInvite();
        return true;
    }

    private static TimeSpan? RetryAfter(SipMessage response) =>
        SipRetryAfter.TryParse(response.GetValue(SipHeaderId.RetryAfter), out SipRetryAfter retry) && retry.DeltaSeconds > 0
            ? TimeSpan.FromSeconds(Math.Min(retry.DeltaSeconds, 86400))
            : null;

    private static bool IsSdp(SipMessage message) =>
        !message.Body.IsEmpty && message.TryGetContentType(out SipContentType type) && type.IsSdp;
}
