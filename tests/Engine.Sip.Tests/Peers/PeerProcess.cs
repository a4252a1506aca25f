using System.Diagnostics;
using System.Text;

namespace Dialtone.Engine.Sip.Tests.Peers;

/// <summary>
/// A real SIP peer (kamailio, baresip) started by a test as a child process: its output is kept
/// for assertions and diagnostics, and it is stopped by its process id (SIGTERM, then SIGKILL).
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _lock = new();

    private PeerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_lock)
                return _output.ToString();
        }
    }

    /// <summary>Finds <paramref name="program"/> on PATH, or fails the test saying how to install it.</summary>
    public static string Require(string program, string package)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            foreach (string candidate in new[] { Path.Combine(directory, program) })
            {
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        foreach (string directory in new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" })
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new Xunit.Sdk.XunitException($"'{program}' is not installed: the integration tests need the Debian package '{package}' (scripts/install-deps.sh installs it).");
    }

    public static PeerProcess Start(string name, string executable, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process, name);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        if (!process.Start())
            throw new Xunit.Sdk.XunitException($"{name} did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
        {
            _output.AppendLine(line);
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output otherwise.</summary>
    public void WaitForOutput(string text, int timeoutMs = 10000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        lock (_lock)
        {
            while (!_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || _process.HasExited)
                    throw new Xunit.Sdk.XunitException($"{Name} never printed '{text}'{(_process.HasExited ? " (it exited)" : "")}. Output:\n{_output}");
                Monitor.Wait(_lock, (int)Math.Min(left, 200));
            }
        }
    }

    /// <summary>SIGTERM by pid, then SIGKILL of the process tree we started should it linger.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                       { UseShellExecute = false, RedirectStandardError = true }))
                    term?.WaitForExit(2000);
                if (!_process.WaitForExit(5000))
                    _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
