using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Dialtone.Benchmarks.Load;

// Two modes:
//   dotnet run -c Release --project bench/Engine.Media.Benchmarks -- --filter '*'
//       the micro-benchmarks (RTP/RTCP write and read, DTMF packets, jitter buffer);
//   dotnet run -c Release --project bench/Engine.Media.Benchmarks -- engine --streams 5000 --seconds 20
//       the media engine under load: that many loopback streams sending and receiving at once.
// See README.md beside this file for the figures and the machine they were measured on.
//
// The micro-benchmarks run in-process: the assembly name differs from the project file name, which
// BenchmarkDotNet's out-of-process toolchain cannot map back; the in-process emit toolchain measures
// the same Release code without that step.
if (args.Length > 0 && args[0] == "engine")
{
    return EngineLoad.Run(args[1..]);
}

var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
