using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Dialogs;

/// <summary>
/// The state of one dialog (RFC 3261 §12): its id (Call-ID, local and remote tag), the parties,
/// the remote target from Contact, the route set from Record-Route, and both CSeq counters; it
/// writes the head of every request sent inside it (§12.2.1.1) and checks the order of requests
/// received (§12.2.2). Not thread-safe: the call that owns it serialises access. Pooled: every
/// value lives in storage reused by the next dialog.
/// </summary>
public sealed class SipDialog
{
    private const int MaxRoutes = 32;

    private readonly SipSocketAddressSlot _nextHopSlot = new();
    private SipBytes _callId;
    private SipBytes _localTag;
    private SipBytes _remoteTag;
    private SipBytes _localParty;
    private SipBytes _remoteParty;
    private SipBytes _remoteTarget;
    private SipBytes _routeSet;
    private SipBytes _requestUri;
    private SipBytes _routeHeader;
    private SipDestination _fallback;
    private SipDestination _nextHop;

    /// <summary>Early, confirmed or terminated.</summary>
    public SipDialogState State { get; set; }

    /// <summary>True when we sent the request that created the dialog.</summary>
    public bool IsUac { get; private set; }

    /// <summary>The CSeq of the last request we sent in the dialog (§12.2.1.1 increments it by one per request).</summary>
    public uint LocalCSeq { get; set; }

    /// <summary>The CSeq of the last request the peer sent in the dialog; see <see cref="HasRemoteCSeq"/>.</summary>
    public uint RemoteCSeq { get; private set; }

    /// <summary>False until the peer's first request (an UAC dialog starts with an empty remote CSeq, §12.1.2).</summary>
    public bool HasRemoteCSeq { get; private set; }

    /// <summary>The transport requests use when the target URI names none.</summary>
    public SipTransportProtocol Transport { get; private set; }

    /// <summary>True when the peer's Allow lists UPDATE (RFC 3311), so a session refresh may use it.</summary>
    public bool RemoteAllowsUpdate { get; private set; }

    /// <summary>The Call-ID.</summary>
    public ReadOnlySpan<byte> CallId => _callId.Span;

    /// <summary>Our tag.</summary>
    public ReadOnlySpan<byte> LocalTag => _localTag.Span;

    /// <summary>The peer's tag.</summary>
    public ReadOnlySpan<byte> RemoteTag => _remoteTag.Span;

    /// <summary>Our name-addr with our tag: the From of our requests.</summary>
    public ReadOnlySpan<byte> LocalParty => _localParty.Span;

    /// <summary>The peer's name-addr with its tag: the To of our requests.</summary>
    public ReadOnlySpan<byte> RemoteParty => _remoteParty.Span;

    /// <summary>The peer's Contact URI (§12.1.1, §12.1.2), refreshed by target refresh requests.</summary>
    public ReadOnlySpan<byte> RemoteTarget => _remoteTarget.Span;

    /// <summary>The route set, comma-separated, in the order our requests carry it.</summary>
    public ReadOnlySpan<byte> RouteSet => _routeSet.Span;

    /// <summary>The Request-URI of our requests (the remote target, or the first route when it is a strict router).</summary>
    public ReadOnlySpan<byte> RequestUri => _requestUri.Span;

    /// <summary>Where our requests go: the first route or the remote target (§12.2.1.1, RFC 3263).</summary>
    public SipDestination NextHop => _nextHop;

    /// <summary>
    /// Sets up a dialog we created with an INVITE (§12.1.2) from a response carrying a To tag: the
    /// route set is the response's Record-Route reversed, the remote target its Contact.
    /// </summary>
    /// <param name="callId">The INVITE's Call-ID.</param>
    /// <param name="localParty">The INVITE's From value, tag included.</param>
    /// <param name="localTag">Our From tag.</param>
    /// <param name="localCSeq">The INVITE's CSeq number.</param>
    /// <param name="response">The 1xx or 2xx.</param>
    /// <param name="fallback">Where requests go when the target names a host rather than an address: where the INVITE went.</param>
    public void InitializeAsUac(ReadOnlySpan<byte> callId, ReadOnlySpan<byte> localParty, ReadOnlySpan<byte> localTag, uint localCSeq,
        SipMessage response, in SipDestination fallback)
    {
        PrepareAsUac(callId, localParty, localTag, localCSeq);
        EstablishAsUac(response, fallback);
    }

    /// <summary>
    /// Sets our side of a dialog we are about to create with an INVITE: the values the INVITE
    /// carries before the peer's tag is known.
    /// </summary>
    public void PrepareAsUac(ReadOnlySpan<byte> callId, ReadOnlySpan<byte> localParty, ReadOnlySpan<byte> localTag, uint localCSeq)
    {
        IsUac = true;
        State = SipDialogState.Early;
        _callId.Set(callId);
        _localTag.Set(localTag);
        _localParty.Set(localParty);
        LocalCSeq = localCSeq;
        RemoteCSeq = 0;
        HasRemoteCSeq = false;
        _remoteTag.Clear();
        _remoteParty.Clear();
        _remoteTarget.Clear();
        _routeSet.Clear();
        RemoteAllowsUpdate = false;
    }

    /// <summary>Fills the peer's side from the first response with a To tag (§12.1.2).</summary>
    public void EstablishAsUac(SipMessage response, in SipDestination fallback)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.TryGetTo(out SipNameAddress to);
        _remoteTag.Set(to.Tag);
        _remoteParty.Set(response.GetValue(SipHeaderId.To));
        _fallback = fallback;
        Transport = fallback.Protocol;
        UpdateFromResponse(response);
    }

    /// <summary>
    /// Forgets the peer's side of a dialog we are creating, keeping ours: the INVITE is about to be
    /// sent again (with credentials, to another target), and early dialogs of the last attempt are gone.
    /// </summary>
    public void ForgetRemote()
    {
        State = SipDialogState.Early;
        _remoteTag.Clear();
        _remoteParty.Clear();
        _remoteTarget.Clear();
        _routeSet.Clear();
        _requestUri.Clear();
        _routeHeader.Clear();
        _nextHop = default;
    }

    /// <summary>True once the peer's tag is known.</summary>
    public bool IsEstablished => !_remoteTag.IsEmpty;

    /// <summary>
    /// Sets up a dialog created by a request we received (§12.1.1): route set from Record-Route in
    /// order, remote target from Contact, remote CSeq from the request, our tag added to its To.
    /// </summary>
    public void InitializeAsUas(SipMessage request, ReadOnlySpan<byte> localTag, in SipDestination fallback)
    {
        ArgumentNullException.ThrowIfNull(request);
        IsUac = false;
        State = SipDialogState.Early;
        _callId.Set(request.CallId);
        _localTag.Set(localTag);
        _localParty.Set(request.GetValue(SipHeaderId.To));
        _localParty.Append(";tag="u8);
        _localParty.Append(localTag);
        request.TryGetFrom(out SipNameAddress from);
        _remoteTag.Set(from.Tag);
        _remoteParty.Set(request.GetValue(SipHeaderId.From));
        request.TryGetCSeq(out SipCSeq cseq);
        RemoteCSeq = cseq.Number;
        HasRemoteCSeq = true;
        LocalCSeq = 0;
        _fallback = fallback;
        Transport = fallback.Protocol;
        RemoteAllowsUpdate = SipHeaderValues.ContainsToken(request, SipHeaderId.Allow, "UPDATE"u8, ignoreCase: true);
        SetRouteSet(request, reverse: false);
        SetRemoteTarget(request);
        ComputeRequestTarget();
    }

    /// <summary>
    /// Takes the route set and remote target from a response to our INVITE: the 1xx that made the
    /// early dialog, then the 2xx that confirms it (§13.2.2.4: the route set is recomputed from the 2xx).
    /// </summary>
    public void UpdateFromResponse(SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        SetRouteSet(response, reverse: true);
        SetRemoteTarget(response);
        if (response.Contains(SipHeaderId.Allow))
            RemoteAllowsUpdate = SipHeaderValues.ContainsToken(response, SipHeaderId.Allow, "UPDATE"u8, ignoreCase: true);
        ComputeRequestTarget();
    }

    /// <summary>
    /// A target refresh (re-INVITE, UPDATE, or their 2xx) replaces the remote target with its
    /// Contact (§12.2.1.2, §12.2.2); the route set never changes once confirmed.
    /// </summary>
    public void RefreshTarget(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (SetRemoteTarget(message))
            ComputeRequestTarget();
    }

    /// <summary>
    /// Checks the CSeq of a request received in the dialog (§12.2.2): lower than the last one is
    /// out of order (answer 500); otherwise it becomes the remote CSeq. ACK and CANCEL reuse their
    /// INVITE's number and are not checked.
    /// </summary>
    public bool AcceptRemoteCSeq(uint cseq)
    {
        if (HasRemoteCSeq && cseq < RemoteCSeq)
            return false;
        RemoteCSeq = cseq;
        HasRemoteCSeq = true;
        return true;
    }

    /// <summary>The CSeq number for the next request we send (§12.2.1.1).</summary>
    public uint NextLocalCSeq() => ++LocalCSeq;

    /// <summary>True when a message's Call-ID and the peer's tag name this dialog.</summary>
    public bool Matches(ReadOnlySpan<byte> callId, ReadOnlySpan<byte> remoteTag) =>
        callId.SequenceEqual(_callId.Span) && remoteTag.SequenceEqual(_remoteTag.Span);

    /// <summary>
    /// Writes the head of a request in this dialog (§12.2.1.1): request line to the remote target
    /// (or the strict router), our Via, Max-Forwards, From with our tag, To with the peer's, Call-ID,
    /// CSeq and the Route set. The caller adds its own headers and the body.
    /// </summary>
    public void WriteRequestHead(ref SipMessageWriter writer, SipMethod method, uint cseq, scoped ReadOnlySpan<byte> viaTransport,
        scoped ReadOnlySpan<byte> viaHost, int viaPort, scoped ReadOnlySpan<byte> branch)
    {
        writer.WriteRequestLine(method, _requestUri.Span);
        writer.WriteVia(viaTransport, viaHost, viaPort, branch);
        writer.WriteMaxForwards();
        writer.WriteHeader(SipHeaderId.From, _localParty.Span);
        writer.WriteHeader(SipHeaderId.To, _remoteParty.Span);
        writer.WriteCallId(_callId.Span);
        writer.WriteCSeq(cseq, method);
        if (!_routeHeader.IsEmpty)
            writer.WriteHeader(SipHeaderId.Route, _routeHeader.Span);
    }

    /// <summary>Forgets everything, keeping the storage, for the pool.</summary>
    public void Reset()
    {
        _callId.Clear();
        _localTag.Clear();
        _remoteTag.Clear();
        _localParty.Clear();
        _remoteParty.Clear();
        _remoteTarget.Clear();
        _routeSet.Clear();
        _requestUri.Clear();
        _routeHeader.Clear();
        _nextHopSlot.Clear();
        _fallback = default;
        _nextHop = default;
        State = SipDialogState.Terminated;
        LocalCSeq = RemoteCSeq = 0;
        HasRemoteCSeq = false;
        RemoteAllowsUpdate = false;
    }

    private bool SetRemoteTarget(SipMessage message)
    {
        if (!message.TryGetContact(out SipNameAddress contact) || contact.IsWildcard)
            return false;
        _remoteTarget.Set(contact.UriText);
        return true;
    }

    private void SetRouteSet(SipMessage message, bool reverse)
    {
        Span<(int Offset, int Length)> routes = stackalloc (int, int)[MaxRoutes];
        int count = 0;
        ReadOnlySpan<byte> all = message.Span;
        foreach (ReadOnlySpan<byte> route in message.GetValues(SipHeaderId.RecordRoute))
        {
            if (route.IsEmpty || count == MaxRoutes)
                continue;
            int offset = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(all), ref MemoryMarshal.GetReference(route));
            routes[count++] = (offset, route.Length);
        }
        _routeSet.Clear();
        for (int i = 0; i < count; i++)
        {
            var (offset, length) = routes[reverse ? count - 1 - i : i];
            if (i > 0)
                _routeSet.Append(", "u8);
            _routeSet.Append(all.Slice(offset, length));
        }
    }

    // §12.2.1.1: with a loose router first (lr), the Request-URI is the remote target and the
    // Route header is the route set; with a strict router first, the Request-URI is that router's
    // URI and the remote target goes last in Route. The next hop is the first route or the target.
    private void ComputeRequestTarget()
    {
        _routeHeader.Clear();
        ReadOnlySpan<byte> routes = _routeSet.Span;
        if (routes.IsEmpty)
        {
            _requestUri.Set(_remoteTarget.Span);
            SetNextHop(_remoteTarget.Span);
            return;
        }
        int comma = Message.SipHeaderValueEnumerator.FindSeparator(routes);
        ReadOnlySpan<byte> first = SipSyntax.Trim(comma < 0 ? routes : routes.Slice(0, comma));
        if (!SipNameAddress.TryParse(first, out SipNameAddress firstRoute))
        {
            _requestUri.Set(_remoteTarget.Span);
            _routeHeader.Set(routes);
            _nextHop = _fallback;
            return;
        }
        if (firstRoute.Uri.IsLooseRouting)
        {
            _requestUri.Set(_remoteTarget.Span);
            _routeHeader.Set(routes);
        }
        else
        {
            _requestUri.Set(firstRoute.UriText);
            if (comma >= 0)
            {
                _routeHeader.Set(SipSyntax.Trim(routes.Slice(comma + 1)));
                _routeHeader.Append(", "u8);
            }
            _routeHeader.Append("<"u8);
            _routeHeader.Append(_remoteTarget.Span);
            _routeHeader.Append(">"u8);
        }
        SetNextHop(firstRoute.UriText);
    }

    private void SetNextHop(ReadOnlySpan<byte> uri)
    {
        // A host name (not an address) keeps the fallback: where the dialog-creating request went
        // or came from, which is the same trunk edge in practice.
        _nextHop = SipUriDestination.TryGet(uri, Transport, _nextHopSlot, out SipDestination destination) ? destination : _fallback;
    }
}
