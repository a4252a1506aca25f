using System.Globalization;

namespace Dialtone.LoadDriver.Reporting;

/// <summary>
/// The lines answer-echo.xml logs with <c>-trace_logs</c> when an INVITE arrives:
/// <c>INVITE &lt;To user&gt; &lt;seconds&gt; &lt;microseconds&gt; &lt;To URI&gt;</c> (SIPp's gettimeofday, wall clock).
/// </summary>
public static class SippInviteLog
{
    /// <summary>The first INVITE time (Unix µs) of each To user in the files.</summary>
    public static Dictionary<string, long> Read(IEnumerable<string> paths)
    {
        var times = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4 || parts[0] != "INVITE")
                    continue;
                if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    || !double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var micros))
                    continue;
                times.TryAdd(parts[1], ((long)seconds * 1_000_000) + (long)micros);
            }
        }
        return times;
    }
}
