using System.Globalization;
using Dialtone.LoadDriver.Measuring;

namespace Dialtone.LoadDriver.Reporting;

/// <summary>
/// The one table a load run ends with (Markdown, so it can go into a README as printed): the offered
/// rate, what the daemon's callbacks and SIPp each say about the calls, SIPp's response times, the
/// daemon's CPU per call, memory and RTP counters.
/// </summary>
public static class LoadTable
{
    public static void Write(TextWriter output, RunResult run, IReadOnlyList<SippStatistics> sipp, IReadOnlyDictionary<string, long> invites)
    {
        var rows = new List<(string, string)>();
        void Row(string figure, string value) => rows.Add((figure, value));
        static string N(double v, string format = "#,0") => v.ToString(format, CultureInfo.InvariantCulture);
        static string Mb(long? bytes) => bytes is { } b ? N(b / 1048576.0, "#,0.0") + " MiB" : "-";

        Row("Offered", $"{N(run.OfferedRate, "#,0.##")} calls/s for {N(run.PlannedSeconds, "#,0.##")} s: {N(run.Sent)} calls sent at {N(run.AchievedRate, "#,0.#")}/s (driver lag max {N(run.MaxScheduleLagMs, "0.#")} ms)");
        Row("App", $"{run.Application}; callbacks: {run.Events}");
        var refused = run.Refused.Count == 0 ? "0" : string.Join(", ", run.Refused.Select(r => $"{r.Value} × HTTP {r.Key}"));
        Row("REST", $"accepted {N(run.Accepted)}, refused {refused}, errors {N(run.RequestErrors)}; latency {run.RestLatency}");

        var failed = run.Results.Where(r => r.Key != "completed").Sum(r => r.Value);
        var failedDetail = failed == 0 ? "" : " (" + string.Join(", ", run.Results.Where(r => r.Key != "completed").Select(r => $"{r.Key} {r.Value}")) + ")";
        var errors = run.Errors.Count == 0 ? "" : "; errors: " + string.Join(", ", run.Errors.Select(e => $"{e.Key} {e.Value}"));
        Row("Calls (Dialtone callbacks)", $"completed {N(run.Results.GetValueOrDefault("completed"))}, failed {N(failed)}{failedDetail}, no final callback {N(run.MissingCompleted)}{errors}; answered {N(run.AnsweredCallbacks)}");
        foreach (var stats in sipp)
        {
            // Several instances: each row names its instance's directory.
            var source = sipp.Count > 1 ? Path.GetFileName(Path.GetDirectoryName(stats.File)) + "/" + Path.GetFileName(stats.File) : Path.GetFileName(stats.File);
            Row($"Calls (SIPp {source})",
                $"successful {N(stats.Successful)}, failed {N(stats.Failed)} (unexpected message {N(stats.FailedUnexpected)}, timeout {N(stats.FailedTimeout)}), retransmissions {N(stats.Retransmissions)}");
            foreach (var (timer, bins) in stats.ResponseTimes)
            {
                var total = bins.Sum(b => b.Count);
                var shown = string.Join(" ", bins.Where(b => b.Count > 0).Select(b => $"{b.Bin}:{b.Count}"));
                Row($"SIPp response time \"{timer}\"", total == 0 ? "-" : $"p50 {SippStatistics.BinOf(bins, 0.5)}, p99 {SippStatistics.BinOf(bins, 0.99)}, p99.9 {SippStatistics.BinOf(bins, 0.999)} ({shown})");
            }
        }
        if (invites.Count > 0)
        {
            var joined = run.Calls.Where(c => invites.ContainsKey(c.To))
                .Select(c => (invites[c.To] - c.RequestedUnixMicroseconds) / 1000.0).ToList();
            Row("Request → INVITE at SIPp", $"{Percentiles.Of(joined)} ({N(joined.Count)} calls joined by number; SIPp's receive time)");
        }
        Row("Request → initiated callback", run.RequestToInitiatedCallback?.ToString() ?? "-");
        Row("Callbacks received", $"{N(run.CallbacksReceived)}: {N(run.CallbacksPerSecond, "#,0.#")}/s average, {N(run.CallbacksPeakSecond)} in the busiest second; repeats {N(run.DuplicateCallbacks)}");
        if (run.DaemonCpuSeconds is { } cpu)
        {
            Row("Daemon CPU", $"{N(cpu, "0.00")} s over the {N(run.WindowSeconds, "0.0")} s window ({N(run.DaemonCores ?? 0, "0.00")} cores): **{N(run.DaemonCpuPerCallMicroseconds ?? 0, "#,0")} µs per call**");
            if (run.DaemonCpuByThread.Count > 0)
                Row("Daemon CPU by thread", string.Join(", ", run.DaemonCpuByThread.Take(8).Select(t => $"{t.Key} {N(t.Value, "0.00")} s")));
            if (run.SippCores is not null || run.DriverCores is not null)
                Row("Machine share (cores)", $"daemon {N(run.DaemonCores ?? 0, "0.00")}, SIPp {(run.SippCores is { } s ? N(s, "0.00") : "-")}, load driver {(run.DriverCores is { } d ? N(d, "0.00") : "-")} (of {Environment.ProcessorCount})");
            Row("Daemon memory", $"RSS {Mb(run.DaemonRssStartBytes)} → {Mb(run.DaemonRssEndBytes)}, peak (VmHWM) {Mb(run.DaemonPeakRssBytes)}");
        }
        Row("Calls up at once (peak)", N(run.PeakCallsUp) + (run.MemoryPerCallBytes is { } slope
            ? $"; RSS slope {N(slope / 1024.0, "#,0.0")} KiB per call over {run.MemoryPerCallRange} ({run.MemoryPerCallPoints} samples)"
            : ""));
        Row("RTP packets (daemon /metrics)", Rtp(run));
        Row("Load average (1/5/15 min)", $"before {run.LoadAverageBefore}, after {run.LoadAverageAfter}");

        output.WriteLine($"### {run.Label} ({run.StartedUtc})");
        output.WriteLine();
        output.WriteLine("| Figure | Value |");
        output.WriteLine("|---|---|");
        foreach (var (figure, value) in rows)
            output.WriteLine($"| {figure} | {value.Replace("|", "/", StringComparison.Ordinal)} |");
        output.WriteLine();
    }

    private static string Rtp(RunResult run)
    {
        double Delta(string family) => run.MetricDeltas.Where(m => m.Key.Split('{')[0] == family).Sum(m => m.Value);
        if (!run.MetricDeltas.Keys.Any(k => k.StartsWith("dialtone_rtp_", StringComparison.Ordinal)))
            return "not exported by this daemon (no dialtone_rtp_* series moved)";
        var sent = Delta("dialtone_rtp_packets_sent_total");
        var received = Delta("dialtone_rtp_packets_received_total");
        var lost = Delta("dialtone_rtp_packets_lost_total");
        var loss = sent > 0 ? (1 - (received / sent)) * 100 : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"sent {sent:#,0}, received {received:#,0} (echo shortfall {loss:0.000} %), lost by sequence {lost:#,0}");
    }
}
