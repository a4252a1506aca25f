using System.Globalization;
using System.Runtime.InteropServices;

namespace Dialtone.LoadDriver.Measuring;

/// <summary>
/// Reads another process's CPU time and memory from /proc: utime + stime from <c>/proc/PID/stat</c>
/// (proc(5), in clock ticks), VmRSS and VmHWM (the peak resident set) from <c>/proc/PID/status</c>.
/// </summary>
public sealed partial class ProcessSampler(int pid)
{
    private const int ScClockTicks = 2; // _SC_CLK_TCK on Linux

    private static readonly double TicksPerSecond = ReadTicksPerSecond();

    public int Pid { get; } = pid;

    /// <summary>The process now, or null when it is gone (or this is not Linux).</summary>
    public ProcessSample? Sample()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime 15, num_threads 20 (proc(5)).
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var threads = int.Parse(fields[17], CultureInfo.InvariantCulture);
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = Kilobytes(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    hwm = Kilobytes(line);
            }
            return new ProcessSample(ticks / TicksPerSecond, rss, hwm, threads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds by thread name (threads of one name added up), from <c>/proc/PID/task/*/stat</c>.</summary>
    public Dictionary<string, double> ThreadCpu()
    {
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var open = stat.IndexOf('(');
                    var close = stat.LastIndexOf(')');
                    var name = stat[(open + 1)..close];
                    var fields = stat[(close + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    byName[name] = byName.GetValueOrDefault(name) + (ticks / TicksPerSecond);
                }
                catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
                {
                    // The thread ended while we read it.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return byName;
    }

    private static long Kilobytes(string line)
    {
        var digits = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var space = digits.IndexOf(' ');
        return long.Parse(space < 0 ? digits : digits[..space], CultureInfo.InvariantCulture) * 1024;
    }

    private static double ReadTicksPerSecond()
    {
        try
        {
            var ticks = SystemConfiguration(ScClockTicks);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SystemConfiguration(int name);
}
