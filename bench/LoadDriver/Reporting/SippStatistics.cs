using System.Globalization;

namespace Dialtone.LoadDriver.Reporting;

/// <summary>
/// The last line of a SIPp <c>-trace_stat</c> file (cumulative columns, "(C)"): calls that passed and
/// failed, retransmissions, unexpected messages, and each response-time table (<c>rtd</c> timers) as
/// its bins, e.g. <c>ResponseTimeRepartitionack_&lt;5</c> = calls whose "ack" timer was under 5 ms.
/// </summary>
public sealed class SippStatistics
{
    public required string File { get; init; }
    public long Successful { get; init; }
    public long Failed { get; init; }
    public long Retransmissions { get; init; }
    public long Created { get; init; }
    public long OutOfCallMessages { get; init; }
    public long DeadCallMessages { get; init; }
    public long FailedUnexpected { get; init; }
    public long FailedTimeout { get; init; }

    /// <summary>Per timer: (bin label, count), in the file's order ("&lt;1", "&lt;2", ..., "&gt;=2000").</summary>
    public Dictionary<string, List<(string Bin, long Count)>> ResponseTimes { get; init; } = [];

    public static SippStatistics Read(string path)
    {
        var lines = System.IO.File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length < 2)
            throw new InvalidDataException($"{path}: no statistics line (SIPp writes them every -fd seconds and at exit)");
        var header = lines[0].Split(';');
        var values = lines[^1].Split(';');
        string? Column(string name)
        {
            var i = Array.IndexOf(header, name);
            return i >= 0 && i < values.Length ? values[i] : null;
        }
        long Count(string name) => long.TryParse(Column(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

        var times = new Dictionary<string, List<(string, long)>>(StringComparer.Ordinal);
        const string prefix = "ResponseTimeRepartition";
        for (var i = 0; i < header.Length && i < values.Length; i++)
        {
            var name = header[i];
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var cut = name.IndexOf("_<", StringComparison.Ordinal);
            if (cut < 0)
                cut = name.IndexOf("_>=", StringComparison.Ordinal);
            if (cut < 0)
                continue;
            var timer = name[prefix.Length..cut];
            if (!times.TryGetValue(timer, out var bins))
                times[timer] = bins = [];
            bins.Add((name[(cut + 1)..], long.TryParse(values[i], CultureInfo.InvariantCulture, out var n) ? n : 0));
        }
        return new SippStatistics
        {
            File = path,
            Successful = Count("SuccessfulCall(C)"),
            Failed = Count("FailedCall(C)"),
            Retransmissions = Count("Retransmissions(C)"),
            Created = Count("TotalCallCreated"),
            OutOfCallMessages = Count("OutOfCallMsgs(C)"),
            DeadCallMessages = Count("DeadCallMsgs(C)"),
            FailedUnexpected = Count("FailedUnexpectedMessage(C)"),
            FailedTimeout = Count("FailedTimeoutOnRecv(C)") + Count("FailedTimeoutOnSend(C)") + Count("FailedMaxUDPRetrans(C)"),
            ResponseTimes = times,
        };
    }

    /// <summary>The bin holding the <paramref name="percentile"/>-th timing, as "&lt; 5 ms" (bins give bounds, not values).</summary>
    public static string BinOf(IReadOnlyList<(string Bin, long Count)> bins, double percentile)
    {
        var total = bins.Sum(b => b.Count);
        if (total == 0)
            return "-";
        var rank = (long)Math.Ceiling(percentile * total);
        long seen = 0;
        foreach (var (bin, count) in bins)
        {
            seen += count;
            if (seen >= rank)
                return bin.StartsWith('<') ? "< " + bin[1..] + " ms" : "≥ " + bin[2..] + " ms";
        }
        return "-";
    }
}
