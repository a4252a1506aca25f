using BenchmarkDotNet.Running;

// Runs the daemon's benchmarks:
//   dotnet run -c Release --project bench/Daemon.Benchmarks -- --filter '*'
// Every benchmark here runs in process (its attributes say so): the project references the daemon,
// an ASP.NET executable that BenchmarkDotNet's out-of-process toolchain does not rebuild cleanly.
// Figures and machine: README.md beside this file.
BenchmarkSwitcher.FromAssembly(typeof(Dialtone.Daemon.Benchmarks.CallStorageBenchmarks).Assembly).Run(args);
