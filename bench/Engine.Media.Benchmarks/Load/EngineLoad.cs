using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Benchmarks.Load;

/// <summary>
/// The media engine under load: N streams on 127.0.0.1 in pairs, every stream playing a tone to its
/// partner and receiving the partner's, all at once, for a bounded time. Reports packets per second,
/// CPU per stream (process CPU time / streams / seconds), how far each packet left from its slot
/// (p50/p99/max, measured on the media threads into a preallocated histogram) and loss.
/// </summary>
internal static class EngineLoad
{
    public static int Run(string[] args)
    {
        int streamCount = IntOption(args, "--streams", 1000);
        int seconds = IntOption(args, "--seconds", 20);
        int warmup = IntOption(args, "--warmup", 5);
        int threads = IntOption(args, "--threads", Environment.ProcessorCount);
        int phases = IntOption(args, "--phases", 40);
        int firstPort = IntOption(args, "--first-port", 20000);
        bool sinks = args.Contains("--sinks");
        var defaults = new MediaEngineOptions();
        int wakeAheadMicroseconds = IntOption(args, "--wake-ahead-us", (int)defaults.WakeAhead.TotalMicroseconds);
        int niceIndex = Array.IndexOf(args, "--nice");
        int? nice = niceIndex >= 0 && niceIndex + 1 < args.Length
            ? (args[niceIndex + 1] == "none" ? null : int.Parse(args[niceIndex + 1], CultureInfo.InvariantCulture))
            : defaults.MediaThreadNice;
        int realtimeIndex = Array.IndexOf(args, "--realtime");
        int? realtime = realtimeIndex >= 0 && realtimeIndex + 1 < args.Length
            ? (args[realtimeIndex + 1] == "off" ? null : int.Parse(args[realtimeIndex + 1], CultureInfo.InvariantCulture))
            : defaults.MediaThreadRealtimePriority;
        int receivePollMicroseconds = IntOption(args, "--receive-poll-us", 1000);
        int receiveIndex = Array.IndexOf(args, "--receive");
        string receiveName = receiveIndex >= 0 && receiveIndex + 1 < args.Length ? args[receiveIndex + 1] : "polling";
        ReceiveMode? receiveMode = receiveName switch
        {
            "polling" => ReceiveMode.Polling,
            "async" => ReceiveMode.Async,
            _ => null,
        };
        if (args.Contains("--inline-completions"))
        {
            // Runs socket continuations on the event thread instead of the thread pool; read once by
            // the runtime when the first socket operation starts, which has not happened yet here.
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        if (streamCount < 2 || streamCount % 2 != 0 || seconds < 1 || seconds > 600 || warmup < 0 || warmup > 60 || receiveMode is null)
        {
            Console.Error.WriteLine("usage: engine --streams <even, >= 2> --seconds <1-600> [--warmup <s>] [--threads <n>] [--phases <n>] [--wake-ahead-us <n>] [--nice <n|none>] [--realtime <1-99|off>] [--receive polling|async] [--receive-poll-us <n>] [--first-port <p>] [--sinks] [--inline-completions]");
            return 2;
        }

        var options = new MediaEngineOptions
        {
            MediaThreadCount = threads,
            PhasesPerPeriod = phases,
            WakeAhead = TimeSpan.FromMicroseconds(wakeAheadMicroseconds),
            MediaThreadNice = nice,
            MediaThreadRealtimePriority = realtime,
            FirstPort = firstPort,
            LastPort = Math.Min(65535, firstPort + (2 * streamCount) + 2000),
            ReceiveMode = receiveMode.Value,
            ReceivePollInterval = TimeSpan.FromMicroseconds(receivePollMicroseconds),
        };
        Console.WriteLine($"engine: {streamCount} streams ({streamCount / 2} loopback pairs, both directions), {threads} media threads, {phases} phases per 20 ms, wake-ahead {wakeAheadMicroseconds} µs, nice {(nice?.ToString(CultureInfo.InvariantCulture) ?? "unchanged")}, SCHED_FIFO {realtime?.ToString(CultureInfo.InvariantCulture) ?? "off"}, receive {receiveName} (poll every {receivePollMicroseconds} µs when idle), sinks: {(sinks ? "yes" : "no")}, inline completions: {Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1"}, {Environment.ProcessorCount} cores");

        // What the streams play: a second of audio decoded once and looped, as a prompt is played from
        // a PCM buffer (a 1 kHz tone for one side, 600 Hz for the other).
        AudioClip high = Render(new ToneAudioSource(1000, 8000, TimeSpan.FromSeconds(1)));
        AudioClip low = Render(new ToneAudioSource(600, 8000, TimeSpan.FromSeconds(1)));

        using var engine = new MediaEngine(options);
        if (engine.ReceiveMode != receiveMode)
        {
            Console.WriteLine($"note: receiving in {engine.ReceiveMode} mode (polling needs Linux epoll)");
        }

        var streams = new RtpStream[streamCount];
        var sink = new NullSink();
        var opening = Stopwatch.StartNew();
        for (int i = 0; i < streamCount; i += 2)
        {
            RtpStream a = engine.CreateStream();
            RtpStream b = engine.CreateStream();
            a.Open(IPAddress.Loopback);
            b.Open(IPAddress.Loopback);
            a.SetRemote(b.LocalEndPoint!, AudioPayloadType.Pcmu);
            b.SetRemote(a.LocalEndPoint!, AudioPayloadType.Pcmu);
            a.Play(high.CreateSource(LoopedAudioSource.ForeverLoops));
            b.Play(low.CreateSource(LoopedAudioSource.ForeverLoops));
            if (sinks)
            {
                a.AddSink(sink);
                b.AddSink(sink);
            }

            streams[i] = a;
            streams[i + 1] = b;
        }

        Console.WriteLine($"opened {streamCount} streams ({2 * streamCount} sockets) in {opening.Elapsed.TotalSeconds:F1} s; warming up {warmup} s");
        Thread.Sleep(TimeSpan.FromSeconds(warmup));

        var clock = Stopwatch.StartNew();
        Totals before = Totals.Take(streams, clock);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        TimeSpan mediaCpuBefore = ThreadCpu.OfThreadsNamed("media-");
        long mediaAllocatedBefore = engine.MediaThreadAllocatedBytes;
        long polledBefore = engine.PolledDatagrams;
        long boundBefore = engine.ReceiveSlotsAtBound;
        string loadBefore = LoadAverage();
        int gen0Before = GC.CollectionCount(0);
        int gen2Before = GC.CollectionCount(2);
        engine.ResetSlotTiming();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        SlotTiming timing = engine.GetSlotTiming();

        // Read before the counters are collected below: taking every stream's lock from this thread
        // can make a media thread wait for one, and the runtime allocates a lock's wait event the
        // first time a thread waits on it; that is this program's doing, not the media path's.
        long mediaAllocated = engine.MediaThreadAllocatedBytes - mediaAllocatedBefore;
        long polled = engine.PolledDatagrams - polledBefore;
        long atBound = engine.ReceiveSlotsAtBound - boundBefore;
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime - cpuBefore;
        TimeSpan mediaCpu = ThreadCpu.OfThreadsNamed("media-") - mediaCpuBefore;
        Totals after = Totals.Take(streams, clock);
        string loadAfter = LoadAverage();

        // Reading every stream's counters takes a moment on a loaded machine; the rates use the time
        // between the middles of the two readings.
        double elapsed = after.At - before.At;

        long sent = after.Sent - before.Sent;
        long received = after.Received - before.Received;
        long expected = after.Expected - before.Expected;
        long lost = after.Lost - before.Lost;
        double cpuPerStream = cpu.TotalMilliseconds * 1000 / streamCount / elapsed;
        Console.WriteLine();
        Console.WriteLine("| metric | value |");
        Console.WriteLine("|---|---|");
        Row("streams (both directions)", streamCount.ToString(CultureInfo.InvariantCulture));
        Row("load average (1 min) before / after", $"{loadBefore} / {loadAfter}");
        Row("measured", $"{elapsed:F1} s after {warmup} s warm-up");
        Row("packets sent / s", $"{sent / elapsed:N0}");
        Row("packets received / s", $"{received / elapsed:N0}");
        Row("loss (RFC 3550 §A.3)", $"{lost:N0} of {expected:N0} expected ({(expected == 0 ? 0 : 100.0 * lost / expected):F4} %)");
        Row("send errors", $"{after.SendErrors - before.SendErrors:N0}");
        Row("received on the media threads (polling)", $"{polled / elapsed:N0} / s; slots at the receive bound: {atBound:N0}");
        Row("slot error p50 / p99 / max", $"{Ms(timing.Median)} / {Ms(timing.P99)} / {Ms(timing.Max)} ms ({timing.Packets:N0} packets)");
        Row("slots skipped (thread > 60 ms behind)", $"{timing.SkippedSlots:N0}");
        Row("process CPU", $"{cpu.TotalSeconds:F1} s = {100 * cpu.TotalSeconds / elapsed / Environment.ProcessorCount:F0} % of {Environment.ProcessorCount} cores");
        Row("of which media threads (pacing, encoding, sending)", $"{mediaCpu.TotalSeconds:F1} s");
        Row("CPU per stream", $"{cpuPerStream:F1} µs/s ({cpuPerStream / 10_000:F3} % of a core)");
        Row("media-thread allocations", $"{mediaAllocated:N0} bytes");
        Row("GCs (gen0 / gen2)", $"{GC.CollectionCount(0) - gen0Before} / {GC.CollectionCount(2) - gen2Before}");

        foreach (RtpStream stream in streams)
        {
            stream.Close();
        }

        return 0;
    }

    private static AudioClip Render(IAudioSource source)
    {
        var samples = new short[8000];
        source.Read(samples);
        return AudioClip.FromSamples(samples);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static void Row(string name, string value) => Console.WriteLine($"| {name} | {value} |");

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture);

    private static int IntOption(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private readonly record struct Totals(long Sent, long Received, long Expected, long Lost, long SendErrors, double At)
    {
        public static Totals Take(RtpStream[] streams, Stopwatch clock)
        {
            double start = clock.Elapsed.TotalSeconds;
            long sent = 0, received = 0, expected = 0, lost = 0, errors = 0;
            foreach (RtpStream stream in streams)
            {
                RtpStreamStatistics s = stream.GetStatistics();
                sent += s.PacketsSent;
                received += s.PacketsReceived;
                expected += s.PacketsExpected;
                lost += s.PacketsLost;
                errors += s.SendErrors;
            }

            return new Totals(sent, received, expected, lost, errors, (start + clock.Elapsed.TotalSeconds) / 2);
        }
    }

    private sealed class NullSink : IAudioSink
    {
        public void Write(ReadOnlySpan<short> samples, AudioDirection direction)
        {
        }
    }
}
