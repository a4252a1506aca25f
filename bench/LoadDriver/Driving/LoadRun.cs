using System.Diagnostics;
using System.Globalization;
using Dialtone.LoadDriver.Measuring;
using Dialtone.LoadDriver.Receiving;
using Dialtone.LoadDriver.Reporting;

namespace Dialtone.LoadDriver.Driving;

/// <summary>
/// One load run: places calls at a fixed rate (open loop: call <c>i</c> is due at <c>i / rate</c>
/// whatever the replies do, bounded by <c>--max-in-flight</c> requests), waits a bounded time for
/// every accepted call's completed callback, and measures the daemon over that window.
/// </summary>
public sealed class LoadRun(LoadOptions options, TextWriter log)
{
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var book = new CallTraceBook();
        await using var receiver = await CallbackReceiver.StartAsync(options.Listen, book, keepFields: false).ConfigureAwait(false);
        var application = CallApplication.Parse(options.App, receiver.BaseUrl);
        var form = new CallRequestForm(options.From, application, receiver.BaseUrl + "/callbacks", options.Events,
            options.SendDigits, options.TimeoutSeconds, options.TimeLimitSeconds);
        using var poster = new CallPoster(options.Api, options.Key, options.MaxInFlight, TimeSpan.FromSeconds(options.HttpTimeoutSeconds));
        var sampler = options.DaemonPid is { } pid ? new ProcessSampler(pid) : null;
        // The daemon shares the machine with SIPp and this driver: their CPU says how much was left.
        var sipp = options.SippPids.Select(pid => new ProcessSampler(pid)).ToArray();
        var self = new ProcessSampler(Environment.ProcessId);
        var planned = options.PlannedCalls;
        log.WriteLine($"{options.Label}: {planned} calls at {options.Rate.ToString(CultureInfo.InvariantCulture)}/s to {options.Api}, app: {application.Description}, callbacks at {receiver.BaseUrl}");

        var result = new RunResult
        {
            Label = options.Label,
            StartedUtc = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            LoadAverageBefore = LoadAverage(),
            Application = application.Description,
            Events = string.Join(',', options.Events),
            OfferedRate = options.Rate,
            PlannedSeconds = options.Seconds,
            Planned = planned,
            DaemonPid = options.DaemonPid,
        };
        var metricsBefore = await PrometheusText.ScrapeAsync(poster.Http, options.MetricsUrl, cancellationToken).ConfigureAwait(false);
        var before = sampler?.Sample();
        var threadsBefore = sampler?.ThreadCpu();
        var sippBefore = sipp.Select(s => s.Sample()).ToArray();
        var selfBefore = self.Sample();

        var anchorUnixUs = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var start = Stopwatch.GetTimestamp();
        receiver.MarkStart();
        using var stopTimeline = new CancellationTokenSource();
        var timeline = SampleTimelineAsync(book, receiver, sampler, start, result.Timeline, stopTimeline.Token);

        var posts = new Task[planned];
        using var inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        double maxLag = 0;
        var frequency = (double)Stopwatch.Frequency;
        var sent = 0;
        while (sent < planned && !cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            // Everything due by now leaves now; the loop then sleeps until the next slot. It never
            // spins: a wait shorter than the timer's ~1 ms granularity sleeps one tick and sends what
            // fell due meanwhile together (the lag column shows it), because a spinning driver takes
            // a core from the daemon it measures.
            while (sent < planned)
            {
                var due = start + (long)(sent / options.Rate * frequency);
                if (due > now)
                {
                    var wait = TimeSpan.FromSeconds((due - now) / frequency);
                    await Task.Delay(wait > TimeSpan.FromMilliseconds(1.5) ? wait - TimeSpan.FromMilliseconds(0.5) : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                    break;
                }
                if (!inFlight.Wait(0))
                    await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                maxLag = Math.Max(maxLag, (Stopwatch.GetTimestamp() - due) / frequency * 1000);
                var trace = book.Add(sent, options.NumberOf(sent));
                posts[sent] = PostOneAsync(poster, trace, form, inFlight);
                sent++;
                now = Stopwatch.GetTimestamp();
            }
        }
        var sendEnd = Stopwatch.GetTimestamp();
        await Task.WhenAll(posts.Take(sent)).ConfigureAwait(false);

        // The drain: every accepted call must end (its completed callback), within a bound.
        var drainUntil = Stopwatch.GetTimestamp() + (long)(options.DrainSeconds * frequency);
        var traces = book.All;
        while (Stopwatch.GetTimestamp() < drainUntil && traces.Any(t => t.HttpStatus == 201 && t.CompletedAt == 0))
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        var lastCompleted = traces.Select(t => t.CompletedAt).DefaultIfEmpty(0).Max();
        var windowEnd = traces.All(t => t.HttpStatus != 201 || t.CompletedAt != 0) && lastCompleted > 0 ? lastCompleted : Stopwatch.GetTimestamp();

        var after = sampler?.Sample();
        var threadsAfter = sampler?.ThreadCpu();
        var sippAfter = sipp.Select(s => s.Sample()).ToArray();
        var selfAfter = self.Sample();
        var metricsAfter = await PrometheusText.ScrapeAsync(poster.Http, options.MetricsUrl, cancellationToken).ConfigureAwait(false);
        await stopTimeline.CancelAsync().ConfigureAwait(false);
        await timeline.ConfigureAwait(false);

        Summarize(result, traces, receiver, start, sendEnd, windowEnd, maxLag);
        if (before is { } b && after is { } a)
        {
            result.DaemonCpuSeconds = a.CpuSeconds - b.CpuSeconds;
            result.DaemonCpuPerCallMicroseconds = result.Accepted > 0 ? result.DaemonCpuSeconds / result.Accepted * 1e6 : null;
            result.DaemonCores = result.WindowSeconds > 0 ? result.DaemonCpuSeconds / result.WindowSeconds : null;
            result.DaemonRssStartBytes = b.RssBytes;
            result.DaemonRssEndBytes = a.RssBytes;
            result.DaemonPeakRssBytes = a.PeakRssBytes;
        }
        result.SippCores = sipp.Length == 0 ? null : Enumerable.Range(0, sipp.Length).Sum(i => Cores(sippBefore[i], sippAfter[i], result.WindowSeconds));
        result.DriverCores = Cores(selfBefore, selfAfter, result.WindowSeconds);
        if (threadsBefore is not null && threadsAfter is not null)
        {
            foreach (var (name, seconds) in threadsAfter.OrderByDescending(t => t.Value - threadsBefore.GetValueOrDefault(t.Key)))
            {
                var used = Math.Round(seconds - threadsBefore.GetValueOrDefault(name), 2);
                if (used > 0)
                    result.DaemonCpuByThread[name] = used;
            }
        }
        if (metricsBefore is not null && metricsAfter is not null)
        {
            foreach (var (series, value) in metricsAfter.Series)
            {
                var delta = value - metricsBefore.Series.GetValueOrDefault(series);
                if (delta != 0 && (series.Contains("_total", StringComparison.Ordinal) || series.StartsWith("dialtone_rtp", StringComparison.Ordinal)))
                    result.MetricDeltas[series] = delta;
            }
        }
        FitMemory(result);
        result.Calls = traces.Where(t => t.RequestedAt != 0)
            .Select(t => new CallStart(t.To, anchorUnixUs + (long)((t.RequestedAt - start) / frequency * 1e6)))
            .ToList();
        result.LoadAverageAfter = LoadAverage();
        return result;
    }

    private static double? Cores(ProcessSample? before, ProcessSample? after, double windowSeconds) =>
        before is { } b && after is { } a && windowSeconds > 0 ? (a.CpuSeconds - b.CpuSeconds) / windowSeconds : null;

    private static async Task PostOneAsync(CallPoster poster, CallTrace trace, CallRequestForm form, SemaphoreSlim inFlight)
    {
        try
        {
            await poster.PostAsync(trace, form).ConfigureAwait(false);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private void Summarize(RunResult result, IReadOnlyList<CallTrace> traces, CallbackReceiver receiver, long start, long sendEnd, long windowEnd, double maxLag)
    {
        double Ms(long from, long to) => from == 0 || to == 0 ? double.NaN : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        result.Sent = traces.Count;
        result.SendSeconds = Stopwatch.GetElapsedTime(start, sendEnd).TotalSeconds;
        result.AchievedRate = result.SendSeconds > 0 && traces.Count > 1 ? (traces.Count - 1) / Stopwatch.GetElapsedTime(traces[0].RequestedAt, traces[^1].RequestedAt).TotalSeconds : 0;
        result.MaxScheduleLagMs = Math.Round(maxLag, 2);
        result.Accepted = traces.Count(t => t.HttpStatus == 201);
        foreach (var refused in traces.Where(t => t.HttpStatus is not 201 and not 0).GroupBy(t => t.HttpStatus))
            result.Refused[refused.Key.ToString(CultureInfo.InvariantCulture)] = refused.Count();
        result.RequestErrors = traces.Count(t => t.HttpStatus == 0);
        result.FirstRequestError = traces.FirstOrDefault(t => t.RequestError is not null)?.RequestError;
        result.InitiatedCallbacks = traces.Count(t => t.InitiatedAt != 0);
        result.RingingCallbacks = traces.Count(t => t.RingingAt != 0);
        result.AnsweredCallbacks = traces.Count(t => t.AnsweredAt != 0);
        result.CompletedCallbacks = traces.Count(t => t.CompletedAt != 0);
        foreach (var group in traces.Where(t => t.CompletedAt != 0).GroupBy(t => t.Result ?? "?"))
            result.Results[group.Key] = group.Count();
        foreach (var group in traces.Where(t => t.ErrorCode is not null).GroupBy(t => t.ErrorCode!))
            result.Errors[group.Key] = group.Count();
        result.MissingCompleted = traces.Count(t => t.HttpStatus == 201 && t.CompletedAt == 0);
        result.DuplicateCallbacks = traces.Sum(t => t.Duplicates);
        result.UnknownCallbacks = receiver.Unknown;
        result.CallbacksReceived = receiver.Total;
        var (first, last) = receiver.Span;
        result.CallbacksPerSecond = first != 0 && last > first ? Math.Round(receiver.Total / Stopwatch.GetElapsedTime(first, last).TotalSeconds, 1) : 0;
        result.CallbacksPeakSecond = receiver.PerSecond((int)Stopwatch.GetElapsedTime(start, windowEnd).TotalSeconds + 2).DefaultIfEmpty(0).Max();
        result.RestLatency = Percentiles.Of(traces.Where(t => t.RepliedAt != 0).Select(t => Ms(t.RequestedAt, t.RepliedAt)));
        result.RequestToInitiatedCallback = Percentiles.Of(traces.Select(t => Ms(t.RequestedAt, t.InitiatedAt)));
        result.RequestToAnsweredCallback = Percentiles.Of(traces.Select(t => Ms(t.RequestedAt, t.AnsweredAt)));
        result.RequestToCompletedCallback = Percentiles.Of(traces.Select(t => Ms(t.RequestedAt, t.CompletedAt)));
        result.WindowSeconds = Math.Round(Stopwatch.GetElapsedTime(start, windowEnd).TotalSeconds, 3);
        result.PeakCallsUp = result.Timeline.Select(s => s.CallsUp).DefaultIfEmpty(0).Max();
        log.WriteLine($"{result.Label}: sent {result.Sent}, accepted {result.Accepted}, completed callbacks {result.CompletedCallbacks}, missing {result.MissingCompleted}");
    }

    private void FitMemory(RunResult result)
    {
        var (low, high) = options.SlopeRange;
        // Only the ramp, while calls are being established: once calls end, the memory they held is
        // not handed back to the system at once (the GC keeps its heap), so samples on the plateau and
        // the way down would pair fewer calls with the same RSS and flatten the slope.
        var peak = result.Timeline.Select(s => s.CallsUp).DefaultIfEmpty(0).Max();
        var rampEnd = result.Timeline.FindIndex(s => s.CallsUp == peak);
        var points = result.Timeline.Take(rampEnd + 1).Where(s => s.CallsUp >= low && s.CallsUp <= high && s.RssBytes > 0)
            .Select(s => ((double)s.CallsUp, (double)s.RssBytes)).ToList();
        if (LinearFit.Of(points) is { } fit && points.Select(p => p.Item1).Distinct().Count() > 2)
        {
            result.MemoryPerCallBytes = Math.Round(fit.Slope);
            result.MemoryPerCallRange = $"{low}-{high} calls up";
            result.MemoryPerCallPoints = fit.Points;
        }
    }

    /// <summary>Once a second: calls answered and not yet completed, the daemon's RSS and CPU.</summary>
    private static async Task SampleTimelineAsync(CallTraceBook book, CallbackReceiver receiver, ProcessSampler? sampler,
        long start, List<TimelineSample> timeline, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var up = 0;
                foreach (var trace in book.All)
                {
                    if (trace.AnsweredAt != 0 && trace.CompletedAt == 0)
                        up++;
                }
                var sample = sampler?.Sample();
                timeline.Add(new TimelineSample(Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 1), up, sample?.RssBytes ?? 0,
                    sample?.CpuSeconds ?? 0, receiver.Total));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
