using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Runs the micro-benchmarks: `dotnet run -c Release --project bench/Engine.Sip.Benchmarks -- --filter '*'`.
// See bench/README.md for the figures and the machine they were measured on.
//
// The benchmarks run in-process: the assembly name (Dialtone.Engine.Sip.Benchmarks) differs from
// the project file name, which BenchmarkDotNet's out-of-process toolchain cannot map back, and the
// in-process emit toolchain measures the same Release code without that step.

// The loopback call load (signaling only), not a BenchmarkDotNet run:
//   dotnet run -c Release --project bench/Engine.Sip.Benchmarks -- calls --seconds 20 --concurrency 200
// See Calls/README.md for its figures.
if (args.Length > 0 && args[0] == "calls")
{
    Environment.ExitCode = Dialtone.Benchmarks.Calls.LoopbackCallBenchmark.Run(args[1..]);
    return;
}

var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
