namespace Dialtone.Daemon.Callbacks;

/// <summary>How an attempt's outcome is classified.</summary>
internal enum AttemptKind
{
    Delivered,
    Retry,
    Rejected,
    Abandoned,
}
