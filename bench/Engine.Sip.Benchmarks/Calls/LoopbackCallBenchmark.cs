using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Benchmarks.Calls;

/// <summary>
/// The engine's UAC calls the engine's UAS on loopback UDP as fast as it can, signaling only:
/// INVITE, 100, 180, 200, ACK, then BYE, 200, with <c>--concurrency</c> calls in flight. Reports
/// complete calls per second, CPU time per call and bytes allocated per call (both agents, all
/// threads), measured after a warm-up.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Engine.Sip.Benchmarks -- calls --seconds 20 --concurrency 200</c>.
/// Options: <c>--seconds</c> (measured time), <c>--warmup</c> (seconds before measuring; transactions
/// linger up to 64*T1 after a call, so pools reach their working set after that long),
/// <c>--concurrency</c>, <c>--t1</c> (ms; a smaller T1 shortens the lingering, default 500).
/// </remarks>
public static class LoopbackCallBenchmark
{
    public static int Run(string[] args)
    {
        int seconds = 20, concurrency = 200, t1 = 500;
        int? warmup = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--seconds": seconds = value; break;
                case "--concurrency": concurrency = value; break;
                case "--warmup": warmup = value; break;
                case "--t1": t1 = value; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; use --seconds N --concurrency N --warmup N --t1 MS");
                    return 2;
            }
        }
        var timers = new SipTimers { T1 = TimeSpan.FromMilliseconds(t1), T2 = TimeSpan.FromMilliseconds(Math.Max(t1, 4000)) };
        int warmupSeconds = warmup ?? (int)Math.Ceiling(timers.TimerB.TotalSeconds) + 2;

        byte[] offer = Encoding.ASCII.GetBytes(
            "v=0\r\no=dialtone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n");
        byte[] answer = Encoding.ASCII.GetBytes(
            "v=0\r\no=carrier 2 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=audio 42000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n");

        using var callee = new SipUserAgent(new SipUserAgentOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            EnableTcp = false,
            // INVITE/100/180/200: the 100 Trying goes at once.
            TryingDelay = TimeSpan.Zero,
            Timers = timers,
            UserAgentHeader = null,
        });
        callee.IncomingCalls = new AnsweringCallee(answer);
        using var caller = new SipUserAgent(new SipUserAgentOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            EnableTcp = false,
            Timers = timers,
            UserAgentHeader = null,
        });
        SipTrunk trunk = caller.AddTrunk(new SipTrunkOptions
        {
            Name = "loopback",
            Host = "127.0.0.1",
            Port = callee.LocalEndPoint.Port,
            Transport = SipTransportProtocol.Udp,
        });
        var request = new SipCallRequest
        {
            Trunk = trunk,
            RequestUri = $"sip:+15551234567@127.0.0.1:{callee.LocalEndPoint.Port}",
            CallerId = "+15557654321",
            DisplayName = "Bench",
            SdpOffer = offer,
        };
        var driver = new CallDriver(caller, request);

        Console.WriteLine($"loopback calls: concurrency {concurrency}, warm-up {warmupSeconds} s, measured {seconds} s, T1 {t1} ms, " +
            $"{Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        driver.Start(concurrency);
        Thread.Sleep(TimeSpan.FromSeconds(warmupSeconds));

        var process = Process.GetCurrentProcess();
        GC.Collect();
        long calls0 = driver.Completed;
        long failures0 = driver.Failed;
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpu0 = process.TotalProcessorTime;
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        var clock = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        long calls = driver.Completed - calls0;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime - cpu0;
        double elapsed = clock.Elapsed.TotalSeconds;
        long failures = driver.Failed - failures0;
        int gen0s = GC.CollectionCount(0) - gen0, gen2s = GC.CollectionCount(2) - gen2;
        driver.Stop();

        Console.WriteLine();
        Console.WriteLine("| Metric | Value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| Complete calls per second | {calls / elapsed:N0} |");
        Console.WriteLine($"| Calls completed (measured) | {calls:N0} |");
        Console.WriteLine($"| Calls failed (measured) | {failures:N0} |");
        Console.WriteLine($"| CPU time per call (both agents) | {(calls == 0 ? 0 : cpu.TotalMicroseconds / calls):N1} µs |");
        Console.WriteLine($"| CPU load | {cpu.TotalSeconds / elapsed:N2} cores of {Environment.ProcessorCount} |");
        Console.WriteLine($"| Bytes allocated per call (both agents) | {(calls == 0 ? 0 : bytes / (double)calls):N0} B |");
        Console.WriteLine($"| GC collections (gen0 / gen2) | {gen0s} / {gen2s} |");
        Console.WriteLine($"| Managed heap / working set at the end | {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:N0} MB / {process.WorkingSet64 / 1048576.0:N0} MB |");
        Console.WriteLine($"| Transactions alive at the end (caller / callee) | {caller.Counters.ActiveClientTransactions + caller.Counters.ActiveServerTransactions:N0} / {callee.Counters.ActiveClientTransactions + callee.Counters.ActiveServerTransactions:N0} |");
        Console.WriteLine($"| Retransmissions sent (caller / callee) | {caller.Counters.RetransmissionsSent:N0} / {callee.Counters.RetransmissionsSent:N0} |");
        Console.WriteLine($"| Messages dropped (caller / callee) | {caller.Counters.TotalDrops:N0} / {callee.Counters.TotalDrops:N0} |");
        return calls > 0 && failures == 0 ? 0 : 1;
    }

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
}
