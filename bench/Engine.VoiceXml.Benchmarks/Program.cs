using BenchmarkDotNet.Running;

// Runs the micro-benchmarks:
//   dotnet run -c Release --project bench/Engine.VoiceXml.Benchmarks -- --filter '*' --inProcess
// --inProcess: the assembly name (Dialtone.Engine.VoiceXml.Benchmarks) differs from the project
// file's, so BenchmarkDotNet's out-of-process toolchain cannot find the project to rebuild.
// See README.md beside this file for the figures and the machine they were measured on.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
