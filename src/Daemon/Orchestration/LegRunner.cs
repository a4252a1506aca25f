using System.Net;
using System.Security.Cryptography;
using Dialtone.Daemon.Calls;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Sip.UserAgent;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Drives one leg of a call on the network and reports it: takes the trunk's admission, opens the
/// RTP stream, sends the INVITE, reports initiated / ringing / answered to the call's
/// <see cref="LiveCall"/>, obeys the API's cancel and hang-up commands, and, at the end, reports how
/// the leg ended. What happens once it is answered (an application, a bridge) is the caller's.
/// </summary>
public sealed class LegRunner : IAsyncDisposable
{
    private readonly TelephonyServices _services;
    private readonly CancellationTokenSource _stop = new();
    private TrunkRoute? _route;
    private Task? _commandPump;
    private bool _gateEntered;
    private bool _reportedEnd;

    public LegRunner(LiveCall call, TelephonyServices services)
    {
        Call = call;
        _services = services;
    }

    /// <summary>The call this leg carries (its record, commands and reports).</summary>
    public LiveCall Call { get; }

    /// <summary>The SIP and RTP side, once <see cref="RingAsync"/> created it.</summary>
    public OutboundLeg? Leg { get; private set; }

    /// <summary>Raised (on the command pump) when the API redirects the live call to a new application.</summary>
    public event Action<CallRedirect>? RedirectRequested;

    /// <summary>Raised when the API asks the call to end (hang up or cancel).</summary>
    public event Action? HangupRequested;

    /// <summary>
    /// Places the leg and waits until it is answered or has failed. On failure the end is already
    /// reported; on success the caller must eventually call <see cref="FinishAsync"/>.
    /// </summary>
    public async Task<bool> RingAsync(CancellationToken cancellationToken)
    {
        _commandPump = PumpCommandsAsync();
        CallRequest request = Call.Record.Request;
        string callerId = request.CallerId ?? request.From;
        _route = _services.Trunks.Route(request.To, callerId, out string? routeError);
        if (_route is null)
        {
            await ReportEndAsync(new CallEnd(CallStatus.Failed, null, "route-failed", routeError), cancellationToken).ConfigureAwait(false);
            return false;
        }

        // Carriers cap calls per second and concurrent calls per trunk: wait for a slot here (queued
        // calls stay "queued" meanwhile, which is what the customer sees).
        try
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
            await _route.Gate.EnterAsync(waiting.Token).ConfigureAwait(false);
            _gateEntered = true;
        }
        catch (OperationCanceledException)
        {
            await ReportEndAsync(new CallEnd(CallStatus.Canceled), CancellationToken.None).ConfigureAwait(false);
            return false;
        }

        RtpStream stream;
        try
        {
            stream = _services.Media.CreateStream();
            stream.Open(_services.RtpListenAddress);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or Engine.Rtp.Transport.RtpPortsExhaustedException)
        {
            _services.Logger.LogWarning("call {CallSid}: no RTP port: {Error}", Call.Sid, e.Message);
            await ReportEndAsync(new CallEnd(CallStatus.Failed, 503, "media-unavailable", e.Message), cancellationToken).ConfigureAwait(false);
            return false;
        }

        ulong sessionId = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2;
        string mediaAddress = _services.AdvertisedMediaAddress ?? _route.Trunk.MediaAddress;
        var leg = new OutboundLeg(new CallMedia(stream, _services.MediaTotals), _services.Time)
        {
            AdvertisedMediaAddress = mediaAddress,
            SessionId = sessionId,
        };
        Leg = leg;
        byte[] offer = MediaNegotiator.WriteOffer(mediaAddress, stream.LocalEndPoint!.Port, sessionId);
        var sipRequest = new SipCallRequest
        {
            Trunk = _route.Trunk,
            RequestUri = _route.RequestUri,
            CallerId = _route.CallerId,
            SdpOffer = offer,
            RingTimeout = TimeSpan.FromSeconds(request.TimeoutSeconds),
        };
        if (!leg.Start(_services.UserAgent, sipRequest, out string? error))
        {
            await ReportEndAsync(new CallEnd(CallStatus.Failed, null, "invalid-destination", error), cancellationToken).ConfigureAwait(false);
            return false;
        }
        await Call.ReportInitiatedAsync(cancellationToken).ConfigureAwait(false);

        bool rang = false;
        await foreach (LegEvent next in leg.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            switch (next)
            {
                case LegEvent.Ringing ringing when !rang:
                    rang = true;
                    await Call.ReportRingingAsync(ringing.StatusCode, cancellationToken).ConfigureAwait(false);
                    break;
                case LegEvent.Answered answered:
                    if (answered.MediaError is not null)
                        _services.Logger.LogWarning("call {CallSid}: answered without usable media: {Error}", Call.Sid, answered.MediaError);
                    CallUpdateOutcome outcome = await Call.ReportAnsweredAsync(200, cancellationToken).ConfigureAwait(false);
                    if (outcome.Verdict == CallTransitionVerdict.Refused)
                    {
                        // The API canceled the call while the 200 was on its way: hang up at once.
                        leg.HangUp();
                    }
                    else
                    {
                        _services.MediaInactivity?.Watch(leg, Call.Sid);
                    }
                    return true;
                case LegEvent.Failed failed:
                    await ReportEndAsync(EndOf(failed.End, answered: false), cancellationToken).ConfigureAwait(false);
                    return false;
            }
        }
        // The event stream ended without an outcome: only on shutdown.
        await ReportEndAsync(new CallEnd(CallStatus.Failed, null, "shutdown", "the daemon stopped"), CancellationToken.None).ConfigureAwait(false);
        return false;
    }

    /// <summary>Waits for the answered leg to end (or hangs it up when <paramref name="hangUp"/>), then reports the end.</summary>
    public async Task FinishAsync(bool hangUp, CallEnd? overrides = null, CancellationToken cancellationToken = default)
    {
        if (Leg is null)
            return;
        _services.MediaInactivity?.Forget(Leg);
        if (hangUp)
            Leg.HangUp();
        SipCallEnd end = await Leg.Over.ConfigureAwait(false);
        CallEnd reported = EndOf(end, answered: Leg.WasAnswered);
        if (overrides is not null)
            reported = reported with { ErrorCode = overrides.ErrorCode, ErrorMessage = overrides.ErrorMessage, RecordingPath = overrides.RecordingPath };
        if (Leg.MediaTimedOut)
        {
            // Why the call ended outranks what its application made of the silence (its playback or
            // gather cut short): the far end is gone.
            reported = reported with
            {
                ErrorCode = MediaInactivityMonitor.ErrorCode,
                ErrorMessage = $"no RTP or RTCP from the far end for {_services.MediaInactivity?.Timeout.TotalSeconds ?? 0} s",
            };
        }
        await ReportEndAsync(reported, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReportEndAsync(CallEnd end, CancellationToken cancellationToken)
    {
        if (_reportedEnd)
            return;
        _reportedEnd = true;
        try
        {
            await Call.ReportEndedAsync(end, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown past its grace period: the call service closes what is left at the next start.
        }
    }

    /// <summary>The call state a SIP outcome maps to (DESIGN.md §1).</summary>
    public static CallEnd EndOf(in SipCallEnd end, bool answered)
    {
        if (answered)
            return new CallEnd(CallStatus.Completed, 200);
        return end.Cause switch
        {
            SipCallEndCause.Canceled => new CallEnd(CallStatus.Canceled, end.StatusCode is 0 ? 487 : end.StatusCode),
            SipCallEndCause.RingTimeout => new CallEnd(CallStatus.NoAnswer, end.StatusCode is 0 ? 487 : end.StatusCode),
            SipCallEndCause.Timeout => new CallEnd(CallStatus.NoAnswer, 408, "trunk-timeout", "no final response from the trunk"),
            SipCallEndCause.TransportFailure => new CallEnd(CallStatus.Failed, 503, "transport-failure", end.Reason ?? "the trunk could not be reached"),
            SipCallEndCause.ResolutionFailed => new CallEnd(CallStatus.Failed, 503, "dns-failure", end.Reason ?? "the trunk's host could not be resolved"),
            SipCallEndCause.AuthenticationFailed => new CallEnd(CallStatus.Failed, end.StatusCode, "auth-failed", end.Reason ?? "the trunk refused our credentials"),
            SipCallEndCause.Shutdown => new CallEnd(CallStatus.Failed, null, "shutdown", "the daemon stopped"),
            _ when end.StatusCode is >= 300 and <= 699 => new CallEnd(SipOutcome.FinalStatusOf(end.StatusCode) ?? CallStatus.Failed, end.StatusCode),
            _ => new CallEnd(CallStatus.Failed, end.StatusCode is 0 ? null : end.StatusCode),
        };
    }

    private async Task PumpCommandsAsync()
    {
        try
        {
            await foreach (CallCommand command in Call.Commands.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                switch (command.Kind)
                {
                    case CallCommandKind.Hangup:
                        HangupRequested?.Invoke();
                        _stop.Cancel();
                        Leg?.HangUp();
                        break;
                    case CallCommandKind.Cancel when Leg is null || !Leg.WasAnswered:
                        // status=canceled ends only a call that is not answered yet.
                        HangupRequested?.Invoke();
                        _stop.Cancel();
                        Leg?.HangUp();
                        break;
                    case CallCommandKind.Redirect when command.Redirect is not null:
                        RedirectRequested?.Invoke(command.Redirect);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_commandPump is not null)
            await _commandPump.ConfigureAwait(false);
        if (Leg is not null)
            _services.MediaInactivity?.Forget(Leg);
        Leg?.Dispose();
        if (_gateEntered)
            _route?.Gate.Leave();
        _stop.Dispose();
    }
}
