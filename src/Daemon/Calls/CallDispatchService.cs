using Dialtone.Daemon.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Calls;

/// <summary>
/// Feeds queued calls to the <see cref="ICallDialer"/>, one task per call being dialed (bounded by the
/// accounts' active-call limits), and winds them down on shutdown: no new dials once draining, the
/// grace period for calls in progress, then a hang-up for the rest. With no dialer registered (the
/// orchestration is not part of this build), calls stay queued, and cancel still works on them.
/// </summary>
public sealed class CallDispatchService(
    CallService calls,
    ICallDialer? dialer,
    ShutdownState shutdown,
    TimeProvider time,
    ILogger<CallDispatchService> logger) : IHostedService, IShutdownParticipant
{
    private readonly CancellationTokenSource _hangUpNow = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _dialing = [];
    private Task _loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any dialing: close what the last run left open, queue again what it never dialed.
        await calls.RecoverAsync(cancellationToken).ConfigureAwait(false);
        if (dialer is null)
        {
            logger.LogWarning("No call dialer is available: calls are accepted and stay queued");
            return;
        }
        _loop = Task.Run(() => LoopAsync(dialer), CancellationToken.None);
    }

    private async Task LoopAsync(ICallDialer callDialer)
    {
        while (!shutdown.IsDraining)
        {
            LiveCall call;
            try
            {
                call = await calls.Queue.DequeueAsync(shutdown.Draining).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var task = DialOneAsync(callDialer, call);
            lock (_lock)
                _dialing.Add(task);
            _ = task.ContinueWith(t =>
            {
                lock (_lock)
                    _dialing.Remove(t);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task DialOneAsync(ICallDialer callDialer, LiveCall call)
    {
        await Task.Yield();
        try
        {
            await callDialer.DialAsync(call, _hangUpNow.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_hangUpNow.IsCancellationRequested)
        {
            logger.LogError(ex, "Dialing call {CallSid} failed", call.Sid);
        }
        catch (OperationCanceledException)
        {
        }
        if (!call.Record.IsFinal)
        {
            // The dialer must end what it started; if it did not, the record says so rather than
            // leaving the call open forever.
            var final = call.Record.Status == CallStatus.InProgress ? CallStatus.Completed : CallStatus.Failed;
            await call.ReportEndedAsync(new CallEnd(final, null, CallService.DialerError, "the dialer stopped without ending the call"))
                .ConfigureAwait(false);
        }
    }

    public async Task DrainAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task[] dialing;
        lock (_lock)
            dialing = [.. _dialing];
        if (dialing.Length == 0)
            return;
        logger.LogInformation("Waiting up to {GraceSeconds} s for {Count} calls in progress", gracePeriod.TotalSeconds, dialing.Length);
        var all = Task.WhenAll(dialing);
        try
        {
            await all.WaitAsync(gracePeriod, time, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
        }
        logger.LogWarning("Grace period over: hanging up {Count} calls", calls.Live.Count(c => !c.Record.IsFinal));
        foreach (var call in calls.Live)
            call.Send(new CallCommand(CallCommandKind.Hangup));
        await _hangUpNow.CancelAsync().ConfigureAwait(false);
        await all.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
