using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Tests.Transactions;

namespace Dialtone.Engine.Sip.Tests.Peers;

/// <summary>
/// kamailio (Debian kamailio) as a carrier trunk on 127.0.0.1 UDP and TCP: challenges every
/// INVITE with a 407 (auth module, realm = the From domain, one shared password, no database),
/// answers 404 for users other than alice, bob and carol, record-routes and relays the rest to baresip.
/// Runs in the foreground with its own configuration, runtime directory and pid file.
/// </summary>
internal sealed class KamailioPeer : IDisposable
{
    public const string Password = "trunkpass";

    private readonly PeerProcess _process;

    private KamailioPeer(PeerProcess process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Output => _process.Output;

    /// <summary>Starts the peer; a port taken between choosing and binding it (parallel test runs) gets another try on a new port.</summary>
    public static KamailioPeer Start(int baresipPort)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return StartOnce(baresipPort);
            }
            catch (Xunit.Sdk.XunitException e) when (attempt < 3 && e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    private static KamailioPeer StartOnce(int baresipPort)
    {
        string executable = PeerProcess.Require("kamailio", "kamailio");
        string directory = System.IO.Directory.CreateTempSubdirectory("dialtone-kamailio-").FullName;
        string runtime = System.IO.Directory.CreateDirectory(Path.Combine(directory, "run")).FullName;
        int port = LocalPorts.FreeUdpAndTcp();
        string config = $$"""
            #!KAMAILIO
            debug=2
            log_stderror=yes
            fork=yes
            children=1
            tcp_children=1
            listen=udp:127.0.0.1:{{port}}
            listen=tcp:127.0.0.1:{{port}}
            loadmodule "kex.so"
            loadmodule "corex.so"
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            loadmodule "maxfwd.so"
            loadmodule "xlog.so"
            loadmodule "siputils.so"
            loadmodule "auth.so"
            loadmodule "textops.so"
            modparam("auth", "secret", "testsecret")

            request_route {
                if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                if (has_totag()) {
                    if (loose_route()) { t_relay(); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                    sl_send_reply("404", "Not here");
                    exit;
                }
                if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
                if (is_method("INVITE")) {
                    if (!pv_proxy_authenticate("$fd", "{{Password}}", "0")) {
                        proxy_challenge("$fd", "0");
                        exit;
                    }
                    consume_credentials();
                }
                if ($rU != "alice" && $rU != "bob" && $rU != "carol") { sl_send_reply("404", "Not Found"); exit; }
                record_route();
                $du = "sip:127.0.0.1:{{baresipPort}}";
                t_relay();
            }
            """;
        string path = Path.Combine(directory, "kamailio.cfg");
        File.WriteAllText(path, config);
        var process = PeerProcess.Start("kamailio", executable,
            ["-DD", "-E", "-f", path, "-Y", runtime, "-P", Path.Combine(runtime, "kamailio.pid"), "-m", "32", "-M", "8"], directory);
        var peer = new KamailioPeer(process, directory, port);
        try
        {
            peer.WaitUntilAnswering();
        }
        catch
        {
            peer.Dispose();
            throw;
        }
        return peer;
    }

    // Up when an OPTIONS gets any answer (a 404 from the script will do).
    private void WaitUntilAnswering()
    {
        using var probe = new UdpPeer();
        var target = new IPEndPoint(IPAddress.Loopback, Port);
        long deadline = Environment.TickCount64 + 15000;
        for (int i = 0; Environment.TickCount64 < deadline; i++)
        {
            if (_process.HasExited)
                break;
            string options = $"OPTIONS sip:127.0.0.1:{Port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{probe.Port};branch=z9hG4bKprobe{i}\r\n" +
                $"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p{i}\r\nTo: <sip:127.0.0.1:{Port}>\r\nCall-ID: probe-{i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            probe.SendTo(Encoding.ASCII.GetBytes(options), target);
            if (probe.Receive(300) is { } answer && answer.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
                return;
        }
        throw new Xunit.Sdk.XunitException($"kamailio did not answer on 127.0.0.1:{Port}. Output:\n{_process.Output}");
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
