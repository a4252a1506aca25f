using BenchmarkDotNet.Running;

// Runs the micro-benchmarks: `dotnet run -c Release --project bench/Engine.Sip.Benchmarks -- --filter '*'`.
// See bench/README.md for the figures and the machine they were measured on.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
