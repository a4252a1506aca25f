using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Trunks;

/// <summary>
/// OPTIONS keep-alive of one trunk: every interval an out-of-dialog OPTIONS to its best target.
/// Any response means the target is up (even 404 or 405: something answered), except 503 (RFC
/// 3263 §4.3); a timeout (Timer F), a transport error or a 503 marks the target failed so calls
/// try the next one first, and the trunk unreachable until an answer comes again.
/// </summary>
internal sealed class SipTrunkKeepAlive : ITimerTarget, ISipClientTransactionOwner
{
    private const int PingTimer = 1;

    private readonly SipUserAgent _agent;
    private readonly SipTrunk _trunk;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private TimerHandle _timer;
    private SipTrunkTarget? _pinged;
    private bool _stopped;
    private uint _cseq;

    public SipTrunkKeepAlive(SipUserAgent agent, SipTrunk trunk, TimeSpan interval)
    {
        _agent = agent;
        _trunk = trunk;
        _interval = interval;
    }

    public void Start()
    {
        lock (_lock)
            _timer = _agent.Wheel.Schedule(this, PingTimer, TimeSpan.Zero);
    }

    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            if (_timer.IsAllocated)
                _agent.Wheel.Cancel(_timer);
            _timer = default;
        }
    }

    void ITimerTarget.OnTimer(int kind, TimerHandle handle)
    {
        lock (_lock)
        {
            if (_stopped || handle != _timer)
                return;
            _timer = _agent.Wheel.Schedule(this, PingTimer, _interval);
            if (_trunk.TryGetTargets(out IReadOnlyList<SipTrunkTarget> targets) && targets.Count > 0)
            {
                Ping(targets[0]);
                return;
            }
        }
        _ = ResolveAndPingAsync();
    }

    private async Task ResolveAndPingAsync()
    {
        try
        {
            IReadOnlyList<SipTrunkTarget> targets = await _trunk.ResolveAsync().ConfigureAwait(false);
            lock (_lock)
            {
                if (!_stopped && targets.Count > 0)
                    Ping(targets[0]);
            }
        }
        catch (Exception e) when (e is Dns.SipResolutionException or ArgumentException)
        {
            _trunk.ReportKeepAlive(answered: false);
        }
    }

    private void Ping(SipTrunkTarget target)
    {
        _pinged = target;
        SipClientTransaction tx = _agent.Layer.CreateClientTransaction(SipMethod.Options, target.Destination, this);
        tx.OwnerState = target;
        Span<byte> callId = stackalloc byte[SipIdGenerator.CallIdLength];
        SipIdGenerator.NewCallId(callId);
        Span<byte> tag = stackalloc byte[SipHexId.Length];
        SipHexId.Write(tag, (ulong)Random.Shared.NextInt64());
        var writer = new SipMessageWriter(tx.RequestBuffer);
        writer.WriteRequestLine(SipMethod.Options, _trunk.OptionsUri);
        writer.WriteVia(SipTransportProtocols.ViaToken(target.Protocol), _trunk.ViaHost, _trunk.AdvertisedPort, tx.Branch);
        writer.WriteMaxForwards();
        writer.WriteRaw("From: <sip:"u8);
        writer.WriteRaw(System.Text.Encoding.ASCII.GetBytes(_agent.Options.ContactUser));
        writer.WriteRaw("@"u8);
        writer.WriteRaw(_trunk.ViaHost);
        writer.WriteRaw(">;tag="u8);
        writer.WriteRaw(tag);
        writer.WriteRaw("\r\nTo: <"u8);
        writer.WriteRaw(_trunk.OptionsUri);
        writer.WriteRaw(">\r\n"u8);
        writer.WriteCallId(callId);
        writer.WriteCSeq(++_cseq, SipMethod.Options);
        writer.WriteHeader(SipHeaderId.Contact, target.Protocol == SipTransportProtocol.Tcp ? _trunk.ContactTcp : _trunk.ContactUdp);
        writer.WriteHeader(SipHeaderId.Accept, "application/sdp"u8);
        writer.WriteEmptyBody();
        writer.Flush();
        tx.Start();
        tx.Release();
    }

    void ISipClientTransactionOwner.OnResponse(SipClientTransaction transaction, SipMessage response)
    {
        if (response.StatusCode < 200 || transaction.OwnerState is not SipTrunkTarget target)
            return;
        if (response.StatusCode == 503)
        {
            Failed(target);
            return;
        }
        _trunk.MarkSucceeded(target);
        _trunk.ReportKeepAlive(answered: true);
    }

    void ISipClientTransactionOwner.OnTimeout(SipClientTransaction transaction)
    {
        if (transaction.OwnerState is SipTrunkTarget target)
            Failed(target);
    }

    void ISipClientTransactionOwner.OnTransportError(SipClientTransaction transaction)
    {
        if (transaction.OwnerState is SipTrunkTarget target)
            Failed(target);
    }

    private void Failed(SipTrunkTarget target)
    {
        _trunk.MarkFailed(target);
        _trunk.ReportKeepAlive(answered: false);
    }
}
