namespace Dialtone.Daemon.Storage;

/// <summary>
/// How far a committed write is guaranteed (SQLite's <c>PRAGMA synchronous</c> on the writer, in WAL mode).
/// </summary>
public enum SqliteDurability
{
    /// <summary>
    /// synchronous=NORMAL: a commit is written to the WAL file (the operating system holds it) but not
    /// fsynced; the WAL is fsynced at each checkpoint. A committed row survives a crash or SIGKILL of
    /// the daemon; a power cut or kernel crash may lose the last commits (the database stays
    /// consistent either way: sqlite.org/pragma.html#pragma_synchronous, "WAL mode is safe from
    /// corruption with synchronous=NORMAL").
    /// </summary>
    Normal,

    /// <summary>synchronous=FULL: every commit is fsynced; a committed row also survives a power cut.</summary>
    Full,
}
