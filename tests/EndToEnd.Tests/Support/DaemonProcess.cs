using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>
/// The daemon as its own process, as it runs in production: the native-AOT binary when
/// <c>DIALTONE_BINARY</c> names one (CI sets it after publishing), else the build's apphost next to
/// the tests. Started with a config file and a data directory, stopped gracefully (SIGTERM) or
/// killed (SIGKILL) by its PID.
/// </summary>
public sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, string baseUrl, string dataDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }

    public string DataDirectory { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>The program under test: the published binary or the build's apphost.</summary>
    public static string Binary =>
        Environment.GetEnvironmentVariable("DIALTONE_BINARY") is { Length: > 0 } published
            ? Path.GetFullPath(published)
            : Path.Combine(AppContext.BaseDirectory, "dialtone");

    /// <summary>Starts the daemon and waits until <c>/readyz</c> says ready (at most 60 s).</summary>
    public static async Task<DaemonProcess> StartAsync(string configFile, string dataDirectory, int? port = null)
    {
        int apiPort = port ?? FreePort.Next();
        string baseUrl = $"http://127.0.0.1:{apiPort}";
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configFile);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["DIALTONE__Storage__DataDirectory"] = dataDirectory;
        // Tests run many daemons side by side: keep their media threads at normal priority.
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        var daemon = new DaemonProcess(process, baseUrl, dataDirectory);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await daemon.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return daemon;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the daemon exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var reply = await http.GetAsync(BaseUrl + "/readyz");
                if (reply.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the daemon was not ready after {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: a graceful stop (calls get the grace period).</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
            _ = SendSignal(_process.Id, SigTerm);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
