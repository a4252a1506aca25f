using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Dialtone.Engine.Sip.Tests.Peers;

/// <summary>
/// baresip (Debian baresip-core) as a callee on 127.0.0.1: account "alice" (and "bob") answers at
/// once, account "carol" only rings. Controlled over ctrl_tcp (JSON netstrings): hang up, accept.
/// Its configuration is generated per run in a temporary directory (see the facts in the comments).
/// </summary>
internal sealed class BaresipPeer : IDisposable
{
    private readonly PeerProcess _process;

    private BaresipPeer(PeerProcess process, string directory, int sipPort, int controlPort)
    {
        _process = process;
        Directory = directory;
        SipPort = sipPort;
        ControlPort = controlPort;
    }

    public string Directory { get; }

    public int SipPort { get; }

    public int ControlPort { get; }

    public string Output => _process.Output;

    /// <summary>Where the sndfile module writes each call's audio (<c>dump-*-dec.wav</c>: what baresip heard).</summary>
    public string RecordingsDirectory => Path.Combine(Directory, "recordings");

    /// <summary>The accounts every peer has: two that answer at once, one that only rings.</summary>
    public static readonly string[] AutoAnswering = ["alice", "bob"];

    /// <summary>Starts the peer; a port taken between choosing and binding it (parallel test runs) gets another try on a new port.</summary>
    public static BaresipPeer Start()
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return StartOnce();
            }
            catch (Xunit.Sdk.XunitException e) when (attempt < 3 && e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static BaresipPeer StartOnce()
    {
        string executable = PeerProcess.Require("baresip", "baresip-core");
        string modules = FindModulePath();
        string directory = System.IO.Directory.CreateTempSubdirectory("dialtone-baresip-").FullName;
        int sipPort = LocalPorts.FreeUdpAndTcp();
        int controlPort = LocalPorts.FreeTcp();
        // Facts learned the hard way: net_interface must be the address, not "lo"; the tone source
        // needs 48 kHz stereo or baresip never answers; ctrl_tcp rather than stdio without a
        // terminal; jitter_buffer_delay 0-0 logs each RFC 4733 digit at once. No rtp_ports: a fixed
        // range on a shared machine is sometimes taken whole, and the call then fails with 500.
        string config = string.Join('\n',
            $"module_path\t{modules}",
            "poll_method\tepoll",
            $"sip_listen\t127.0.0.1:{sipPort}",
            "sip_trans_def\tudp",
            "net_interface\t127.0.0.1",
            $"audio_player\taufile,{Path.Combine(directory, "heard.wav")}",
            "audio_source\tausine,440",
            "audio_alert\taufile,/dev/null",
            "ausrc_srate\t48000",
            "ausrc_channels\t2",
            "auplay_srate\t8000",
            "auplay_channels\t1",
            "audio_buffer\t20-160",
            "jitter_buffer_delay\t0-0",
            "module\tg711.so",
            "module\tausine.so",
            "module\taufile.so",
            // sndfile records each call: dump-<time>-dec.wav is what baresip heard (decoded).
            "module\tsndfile.so",
            $"snd_path\t{Path.Combine(directory, "recordings")}",
            "module_app\taccount.so",
            "module_app\tctrl_tcp.so",
            "module_app\tmenu.so",
            $"ctrl_tcp_listen\t127.0.0.1:{controlPort}",
            "");
        File.WriteAllText(Path.Combine(directory, "config"), config);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "recordings"));
        // The Request-URI user picks the account.
        File.WriteAllText(Path.Combine(directory, "accounts"),
            string.Concat(AutoAnswering.Select(user => $"<sip:{user}@127.0.0.1:{sipPort}>;regint=0;answermode=auto\n"))
            + $"<sip:carol@127.0.0.1:{sipPort}>;regint=0;answermode=manual\n");
        var process = PeerProcess.Start("baresip", executable, ["-f", directory], directory);
        var peer = new BaresipPeer(process, directory, sipPort, controlPort);
        try
        {
            process.WaitForOutput("baresip is ready.");
        }
        catch
        {
            peer.Dispose();
            throw;
        }
        return peer;
    }

    /// <summary>Sends a ctrl_tcp command, e.g. "hangup" or "accept"; returns baresip's answer (JSON), or empty.</summary>
    public string Command(string command, string parameters = "")
    {
        using var client = new TcpClient("127.0.0.1", ControlPort);
        string json = $"{{\"command\":\"{command}\",\"params\":\"{parameters}\",\"token\":\"t{Random.Shared.Next()}\"}}";
        byte[] payload = Encoding.UTF8.GetBytes(json);
        byte[] netstring = Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture) + ":")
            .Concat(payload).Concat(","u8.ToArray()).ToArray();
        client.GetStream().Write(netstring);
        client.GetStream().Flush();
        // Read the answer so the command is known to have been processed.
        client.ReceiveTimeout = 5000;
        var buffer = new byte[16384];
        try
        {
            int n = client.GetStream().Read(buffer);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (IOException)
        {
            // No answer: the command was still taken.
            return "";
        }
    }

    /// <summary>
    /// Hangs up the current call of <paramref name="account"/>: ctrl_tcp commands act on the
    /// selected user agent, and the last incoming call may have selected another account.
    /// </summary>
    public void HangUp(string account)
    {
        Command("uafind", $"sip:{account}@127.0.0.1:{SipPort}");
        Command("hangup");
    }

    public void WaitForOutput(string text, int timeoutMs = 10000) => _process.WaitForOutput(text, timeoutMs);

    private static string FindModulePath()
    {
        if (Environment.GetEnvironmentVariable("BARESIP_MODULE_PATH") is { Length: > 0 } configured)
            return configured;
        foreach (string candidate in new[] { "/usr/lib/baresip/modules", "/usr/lib/x86_64-linux-gnu/baresip/modules", "/usr/lib/aarch64-linux-gnu/baresip/modules", "/usr/local/lib/baresip/modules" })
        {
            if (File.Exists(Path.Combine(candidate, "g711.so")))
                return candidate;
        }
        throw new Xunit.Sdk.XunitException("baresip's modules (g711.so) were not found; set BARESIP_MODULE_PATH.");
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
