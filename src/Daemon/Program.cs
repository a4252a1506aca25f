using Dialtone.Daemon;

// Entry point of the native-AOT daemon. The host is built by DaemonHost so that tests can start
// the same application on an ephemeral port.
return await DaemonHost.RunAsync(args);
