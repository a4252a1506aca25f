using System.Globalization;

namespace Dialtone.Benchmarks.Load;

/// <summary>CPU time of this process's threads by name, from /proc (Linux); zero elsewhere.</summary>
internal static class ThreadCpu
{
    public static TimeSpan OfThreadsNamed(string prefix)
    {
        string tasks = $"/proc/{Environment.ProcessId}/task";
        if (!Directory.Exists(tasks))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (string task in Directory.GetDirectories(tasks))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the parenthesised name: utime and stime are the 12th and 13th (proc(5)).
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        // Clock ticks are 1/100 s on Linux (USER_HZ).
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
