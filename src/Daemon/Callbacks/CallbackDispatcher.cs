using System.Net;
using System.Text;
using System.Threading.Channels;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Operations;
using Dialtone.Engine.VoiceXml.Fetching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Callbacks;

/// <summary>
/// Delivers the outbox: at least once, in order per call, by a bounded pool of workers.
/// </summary>
/// <remarks>
/// <para>Each call with pending events is in exactly one place: the ready queue, a worker, or a backoff
/// timer. So a call has at most one request in flight, its next event waits until the previous one
/// is delivered, rejected or given up (and that outcome is committed), and a call whose receiver is
/// down waits on a timer, holding no worker, while other calls' callbacks go on.</para>
/// <para>Nothing is kept only in memory: the outbox rows are the truth, and <see cref="StartAsync"/>
/// resumes every pending row after a restart. In normal running the events come with their commit
/// (<see cref="Enqueued(OutboxEvent)"/>), so the dispatcher does not read back what was just
/// written; a call it learns of otherwise (a restart, <see cref="Enqueued(string)"/>) is read from
/// the store until its pending rows are done.</para>
/// </remarks>
public sealed partial class CallbackDispatcher : IHostedService, IAsyncDisposable
{
    private readonly CallbackOutboxStore _store;
    private readonly HttpClient _http;
    private readonly CallbackDeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly DaemonMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Dictionary<string, CallSlot> _calls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];
    private bool _started;

    private sealed class CallSlot
    {
        public bool Running;
        public bool Dirty;
        public ITimer? Timer;

        /// <summary>
        /// The call's pending events, oldest first, when every one of them was handed over with its
        /// commit; null when the store must be read (the call was resumed or woken by sid only).
        /// </summary>
        public LinkedList<OutboxEvent>? Known;
    }

    /// <param name="handler">The HTTP handler; in the daemon, <see cref="OutboundAddressGuard.CreateHandler"/>'s (SSRF guard).</param>
    public CallbackDispatcher(CallbackOutboxStore store, HttpMessageHandler handler, CallbackDeliveryOptions options,
        TimeProvider time, DaemonMetrics metrics, ILogger<CallbackDispatcher> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        _store = store;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        // The timeout is ours (per attempt, on the injected clock), not HttpClient's.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Dialtone/" + DaemonHost.Version);
    }

    /// <summary>Events written and not yet finished (delivered, rejected or given up).</summary>
    public long PendingCount => _metrics.CallbackQueueDepth.Value;

    /// <summary>Resumes every pending event, then starts the workers.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_started)
                return Task.CompletedTask;
            _started = true;
        }
        _metrics.CallbackQueueDepth.Set(_store.CountPending());
        foreach (var callSid in _store.CallsWithPending())
            Wake(callSid);
        _workers = new Task[_options.Workers];
        for (var i = 0; i < _workers.Length; i++)
            _workers[i] = Task.Run(() => WorkAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Tells the dispatcher that an event for <paramref name="callSid"/> was committed to the outbox (it reads it from there).</summary>
    public void Enqueued(string callSid)
    {
        _metrics.CallbackQueueDepth.Increment();
        Wake(callSid);
    }

    /// <summary>
    /// Hands over an event that was just committed to the outbox. Call it in commit order for each
    /// call (the call service does: one state change at a time per call).
    /// </summary>
    public void Enqueued(OutboxEvent item)
    {
        _metrics.CallbackQueueDepth.Increment();
        lock (_lock)
        {
            if (_calls.TryGetValue(item.CallSid, out var slot))
            {
                // Queued, in backoff or being worked on: it goes behind the events before it. A call
                // read from the store finds this one there.
                slot.Known?.AddLast(item);
                if (slot.Running)
                    slot.Dirty = true;
                return;
            }
            slot = new CallSlot { Known = new LinkedList<OutboxEvent>() };
            slot.Known.AddLast(item);
            _calls[item.CallSid] = slot;
        }
        _ready.Writer.TryWrite(item.CallSid);
    }

    private void Wake(string callSid)
    {
        lock (_lock)
        {
            if (_calls.TryGetValue(callSid, out var slot))
            {
                // Already queued, waiting or being worked on: the worker looks again before letting go.
                if (slot.Running)
                    slot.Dirty = true;
                return;
            }
            _calls[callSid] = new CallSlot();
        }
        _ready.Writer.TryWrite(callSid);
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            string callSid;
            try
            {
                // ReadAsync hands each ready call to one waiting worker; WaitToReadAsync would wake
                // every idle worker for each one (all but one to find nothing and wait again: seven
                // wasted thread-pool items and waiter objects per callback). Without a token the
                // channel can reuse its waiter; StopAsync completes the channel instead.
                callSid = await _ready.Reader.ReadAsync().ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return;
            }
            try
            {
                await DrainCallAsync(callSid, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Storage trouble: keep the call, try again later rather than lose it.
                LogUnexpected(_logger, ex, callSid);
                ScheduleWake(callSid, _options.Retry.MaxBackoff);
            }
        }
    }

    private async Task DrainCallAsync(string callSid, CancellationToken stopping)
    {
        CallSlot slot;
        lock (_lock)
        {
            slot = _calls[callSid];
            slot.Running = true;
            slot.Dirty = false;
        }
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            OutboxEvent? next;
            bool known;
            lock (_lock)
            {
                known = slot.Known is not null;
                next = slot.Known?.First?.Value;
            }
            if (!known)
                next = _store.NextPending(callSid);
            if (next is null)
            {
                lock (_lock)
                {
                    if (!slot.Dirty && slot.Known is not { Count: > 0 })
                    {
                        _calls.Remove(callSid);
                        return;
                    }
                    slot.Dirty = false;
                }
                continue;
            }
            var now = _time.GetUtcNow();
            if (next.NextAttemptAt > now)
            {
                ScheduleWake(callSid, next.NextAttemptAt - now);
                return;
            }
            var result = await AttemptAsync(next, stopping).ConfigureAwait(false);
            if (result.Kind == AttemptKind.Abandoned)
                return; // shutting down: the row stays pending for the next start
            var recorded = Record(next, result, _time.GetUtcNow());
            // The outcome is committed before the call's next event is tried: after a crash, a
            // delivered event is not sent again after a later one.
            await _store.RecordAttemptAsync(recorded, CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                if (slot.Known?.First is { } head)
                {
                    if (recorded.State == OutboxState.Pending)
                        head.Value = recorded;
                    else
                        slot.Known.RemoveFirst();
                }
            }
            if (recorded.State == OutboxState.Pending)
            {
                ScheduleWake(callSid, recorded.NextAttemptAt - _time.GetUtcNow());
                return;
            }
            _metrics.CallbackQueueDepth.Decrement();
        }
    }

    private OutboxEvent Record(OutboxEvent item, AttemptResult result, DateTimeOffset now)
    {
        var attempts = item.Attempts + 1;
        var attempted = item with { Attempts = attempts, LastAttemptAt = now, LastStatusCode = result.StatusCode, LastError = result.Error };
        switch (result.Kind)
        {
            case AttemptKind.Delivered:
                _metrics.CallbacksDelivered.Increment();
                if (_logger.IsEnabled(LogLevel.Debug))
                    LogDelivered(_logger, item.EventName, item.SequenceNumber, item.CallSid, CallbackUrl.Loggable(item.Url), result.StatusCode);
                return attempted with { State = OutboxState.Delivered, FinishedAt = now };
            case AttemptKind.Rejected:
                _metrics.CallbackFailed("rejected");
                LogRefused(_logger, item.EventName, item.SequenceNumber, item.CallSid, CallbackUrl.Loggable(item.Url), result.Error);
                return attempted with { State = OutboxState.Rejected, FinishedAt = now };
        }

        var policy = _options.Retry;
        var delay = policy.DelayAfter(attempts);
        if (result.RetryAfter is { } retryAfter && retryAfter > delay)
            delay = retryAfter < policy.MaxBackoff ? retryAfter : policy.MaxBackoff;
        var nextAt = now + delay;
        if (policy.IsExhausted(attempts, item.CreatedAt, nextAt))
        {
            _metrics.CallbackFailed("given_up");
            LogGaveUp(_logger, item.EventName, item.SequenceNumber, item.CallSid, CallbackUrl.Loggable(item.Url), attempts, result.Error);
            return attempted with { State = OutboxState.GivenUp, FinishedAt = now };
        }
        _metrics.CallbackFailed("retry");
        if (_logger.IsEnabled(LogLevel.Information))
            LogRetrying(_logger, item.EventName, item.SequenceNumber, item.CallSid, CallbackUrl.Loggable(item.Url), result.Error, attempts + 1, (long)delay.TotalMilliseconds);
        return attempted with { NextAttemptAt = nextAt };
    }

    private void ScheduleWake(string callSid, TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
            delay = TimeSpan.Zero;
        lock (_lock)
        {
            if (!_calls.TryGetValue(callSid, out var slot))
            {
                slot = new CallSlot();
                _calls[callSid] = slot;
            }
            slot.Running = false;
            slot.Dirty = false;
            slot.Timer?.Dispose();
            slot.Timer = _time.CreateTimer(static state =>
            {
                var (self, sid) = ((CallbackDispatcher, string))state!;
                self.OnTimer(sid);
            }, (this, callSid), delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer(string callSid)
    {
        lock (_lock)
        {
            if (_calls.TryGetValue(callSid, out var slot))
            {
                slot.Timer?.Dispose();
                slot.Timer = null;
            }
        }
        _ready.Writer.TryWrite(callSid);
    }

    private async Task<AttemptResult> AttemptAsync(OutboxEvent item, CancellationToken stopping)
    {
        _metrics.CallbackAttempts.Increment();
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        HttpRequestMessage request;
        try
        {
            request = new HttpRequestMessage(item.Method == HttpMethodKind.Get ? HttpMethod.Get : HttpMethod.Post, item.RequestUrl);
        }
        catch (Exception ex) when (ex is UriFormatException or InvalidOperationException or ArgumentException)
        {
            return new AttemptResult(AttemptKind.Rejected, null, "invalid callback URL");
        }
        using (request)
        {
            if (item.Method == HttpMethodKind.Post)
                request.Content = new StringContent(item.Body, Encoding.UTF8, "application/x-www-form-urlencoded");
            if (item.Signature is not null)
                request.Headers.TryAddWithoutValidation(TwilioSignature.HeaderName, item.Signature);
            // Receivers get each event at least once; this lets them drop repeats.
            request.Headers.TryAddWithoutValidation("X-Dialtone-Event", string.Concat(item.CallSid, "/", item.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                if (code is >= 200 and < 300)
                    return new AttemptResult(AttemptKind.Delivered, code, null);
                if (code is 408 or 429 or >= 500)
                    return new AttemptResult(AttemptKind.Retry, code, $"HTTP {code}", RetryAfterOf(response));
                return new AttemptResult(AttemptKind.Rejected, code, $"HTTP {code}");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return new AttemptResult(AttemptKind.Abandoned, null, null);
            }
            catch (OperationCanceledException)
            {
                return new AttemptResult(AttemptKind.Retry, null, $"no answer within {(long)_options.RequestTimeout.TotalMilliseconds} ms");
            }
            catch (HttpRequestException ex) when (FindRefusal(ex) is { } refused)
            {
                return new AttemptResult(AttemptKind.Rejected, null, refused.Message);
            }
            catch (HttpRequestException ex)
            {
                return new AttemptResult(AttemptKind.Retry, null, ex.HttpRequestError == HttpRequestError.Unknown ? ex.GetType().Name : ex.HttpRequestError.ToString());
            }
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
            return delta;
        if (retryAfter?.Date is { } date)
            return date - _time.GetUtcNow();
        return null;
    }

    private static OutboundAddressRefusedException? FindRefusal(Exception ex)
    {
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is OutboundAddressRefusedException refused)
                return refused;
        }
        return null;
    }

    /// <summary>Stops the workers: an attempt in flight is abandoned and stays pending for the next start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _ready.Writer.TryComplete();
        lock (_lock)
        {
            foreach (var slot in _calls.Values)
                slot.Timer?.Dispose();
        }
        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivered {Event} callback #{Sequence} of call {CallSid} to {Url} ({StatusCode})")]
    private static partial void LogDelivered(ILogger logger, string @event, int sequence, string callSid, string url, int? statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status callback {Event} #{Sequence} of call {CallSid} to {Url} was refused and will not be retried: {Error}")]
    private static partial void LogRefused(ILogger logger, string @event, int sequence, string callSid, string url, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up on status callback {Event} #{Sequence} of call {CallSid} to {Url} after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string @event, int sequence, string callSid, string url, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status callback {Event} #{Sequence} of call {CallSid} to {Url} failed ({Error}); attempt {Attempt} in {Delay} ms")]
    private static partial void LogRetrying(ILogger logger, string @event, int sequence, string callSid, string url, string? error, int attempt, long delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Callback delivery for call {CallSid} failed unexpectedly; retrying later")]
    private static partial void LogUnexpected(ILogger logger, Exception error, string callSid);
}
