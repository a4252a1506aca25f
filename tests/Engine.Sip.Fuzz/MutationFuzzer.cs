using System.Diagnostics;
using Dialtone.Engine.Sip.Tests.Properties;

namespace Dialtone.Engine.Sip.Fuzz;

/// <summary>
/// A coverage-free fuzzer that needs no external tool: stacks random mutations (byte flips, SIP
/// punctuation, truncation, insertion, slice duplication and deletion, splicing two seeds, long
/// runs, repeated header lines) on the seed messages and runs every reader over the result. A
/// watchdog thread flags any input that takes longer than a few seconds as a hang.
/// </summary>
internal static class MutationFuzzer
{
    private static readonly byte[] s_interesting = "\r\n\0 \t:;,\"<>\\[]@%=/?*0123456789aZ\u00c3\u00ff"u8.ToArray();
    private static readonly TimeSpan s_hangLimit = TimeSpan.FromSeconds(5);

    public static int Run(MutationOptions options)
    {
        var seeds = options.SeedDirectories
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => new FileInfo(f).Length is > 0 and < 70_000)
            .Select(File.ReadAllBytes)
            .ToArray();
        if (seeds.Length == 0)
        {
            Console.Error.WriteLine("no seed files found");
            return 2;
        }
        Directory.CreateDirectory(options.FindingsDirectory);
        Console.WriteLine($"mutate: {seeds.Length} seeds, {options.Minutes} min, seed {options.Seed}, findings in {options.FindingsDirectory}");

        var random = new Random(options.Seed);
        var deadline = Stopwatch.StartNew();
        long executions = 0, failures = 0;
        byte[] current = [];
        long startedAt = 0;
        var clock = Stopwatch.StartNew();
        bool stop = false;

        var watchdog = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                Thread.Sleep(500);
                long started = Interlocked.Read(ref startedAt);
                if (started > 0 && clock.Elapsed - TimeSpan.FromTicks(started) > s_hangLimit)
                {
                    Save(options.FindingsDirectory, "hang", Volatile.Read(ref current));
                    Console.WriteLine("HANG: input saved; stopping");
                    Environment.Exit(3);
                }
            }
        }) { IsBackground = true };
        watchdog.Start();

        var lastReport = TimeSpan.Zero;
        while (deadline.Elapsed.TotalMinutes < options.Minutes)
        {
            byte[] input = seeds[random.Next(seeds.Length)];
            int rounds = 1 + random.Next(8);
            for (int r = 0; r < rounds; r++)
                input = Mutate(input, seeds, random);
            Volatile.Write(ref current, input);
            Interlocked.Exchange(ref startedAt, clock.Elapsed.Ticks + 1);
            try
            {
                SipMessageExerciser.Exercise(input);
            }
            catch (Exception e)
            {
                failures++;
                string file = Save(options.FindingsDirectory, e.GetType().Name, input);
                Console.WriteLine($"FAIL {e.GetType().Name}: {e.Message} -> {file}");
            }
            Interlocked.Exchange(ref startedAt, 0);
            executions++;
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(30))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"{clock.Elapsed:hh\\:mm\\:ss} execs {executions:N0} ({executions / clock.Elapsed.TotalSeconds:N0}/s) failures {failures}");
            }
        }
        Volatile.Write(ref stop, true);
        Console.WriteLine($"done: execs {executions:N0}, failures {failures}");
        return failures == 0 ? 0 : 1;
    }

    private static byte[] Mutate(byte[] source, byte[][] seeds, Random random)
    {
        int at = source.Length == 0 ? 0 : random.Next(source.Length);
        int len = Math.Min(1 + random.Next(64), source.Length - at);
        byte value = random.Next(2) == 0 ? s_interesting[random.Next(s_interesting.Length)] : (byte)random.Next(256);
        switch (random.Next(10))
        {
            case 0: // overwrite one byte
                if (source.Length == 0) return [value];
                byte[] copy = [.. source];
                copy[at] = value;
                return copy;
            case 1: // flip a bit
                if (source.Length == 0) return source;
                copy = [.. source];
                copy[at] ^= (byte)(1 << random.Next(8));
                return copy;
            case 2: // truncate
                return source[..at];
            case 3: // insert a run of one byte
                return [.. source[..at], .. Enumerable.Repeat(value, 1 + random.Next(random.Next(2) == 0 ? 8 : 9000)), .. source[at..]];
            case 4: // duplicate a slice in place
                return [.. source[..(at + len)], .. source[at..(at + len)], .. source[at..]];
            case 5: // delete a slice
                return [.. source[..at], .. source[(at + len)..]];
            case 6: // splice: the head of this message, the tail of another
                byte[] other = seeds[random.Next(seeds.Length)];
                int cut = other.Length == 0 ? 0 : random.Next(other.Length);
                return [.. source[..at], .. other[cut..]];
            case 7: // repeat the line around the position many times
                int start = at > 0 ? source.AsSpan(0, at).LastIndexOf((byte)'\n') + 1 : 0;
                int end = source.AsSpan(at).IndexOf((byte)'\n');
                if (end < 0) return source;
                byte[] line = source[start..(at + end + 1)];
                var many = new List<byte>(source.Length + line.Length * 80);
                many.AddRange(source[..start]);
                for (int i = 0, n = 1 + random.Next(120); i < n; i++)
                    many.AddRange(line);
                many.AddRange(source[start..]);
                return [.. many];
            case 8: // insert a fold or a bare line end
                ReadOnlySpan<byte> piece = random.Next(3) switch { 0 => "\r\n "u8, 1 => "\n"u8, _ => "\r"u8 };
                return [.. source[..at], .. piece, .. source[at..]];
            default: // swap case of a byte (header names, schemes, methods)
                if (source.Length == 0) return source;
                copy = [.. source];
                copy[at] ^= 0x20;
                return copy;
        }
    }

    private static string Save(string directory, string kind, byte[] input)
    {
        string name = Path.Combine(directory, $"{kind}-{Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(input))[..16]}.sip");
        File.WriteAllBytes(name, input);
        return name;
    }
}
