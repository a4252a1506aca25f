using Dialtone.Engine.Sip.Tests.Properties;
using SharpFuzz;

namespace Dialtone.Engine.Sip.Fuzz;

/// <summary>Parses the command line and runs one fuzzing mode.</summary>
internal static class FuzzCommand
{
    private const string Usage = """
        usage: Dialtone.Engine.Sip.Fuzz <mode> [options]
          afl                         run under afl-fuzz (instrument Dialtone.Engine.Sip.dll with sharpfuzz first; see run-afl.sh)
          libfuzzer                   run under libfuzzer-dotnet
          mutate [--minutes N] [--seed N] [--findings DIR] SEED_DIR...
                                      coverage-free random mutation of the seed messages, in process, for N minutes;
                                      every input that throws or stalls is saved to DIR (default ./fuzz-findings)
          replay FILE...              run the exercise over each file and report what throws
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        switch (args[0])
        {
            case "afl":
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    SipMessageExerciser.Exercise(copy.ToArray());
                });
                return 0;
            case "libfuzzer":
                Fuzzer.LibFuzzer.Run(span => SipMessageExerciser.Exercise(span.ToArray()));
                return 0;
            case "mutate":
                return MutationFuzzer.Run(MutationOptions.Parse(args.AsSpan(1)));
            case "replay":
                return Replay(args.AsSpan(1));
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static int Replay(ReadOnlySpan<string> files)
    {
        int failures = 0;
        foreach (string file in files)
        {
            try
            {
                SipMessageExerciser.Exercise(File.ReadAllBytes(file));
                Console.WriteLine($"ok    {file}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"FAIL  {file}: {e.GetType().Name}: {e.Message}");
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
