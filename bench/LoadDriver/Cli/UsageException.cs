namespace Dialtone.LoadDriver.Cli;

/// <summary>The command line cannot be used: the message says which option and why.</summary>
public sealed class UsageException(string message) : Exception(message);
