using Dialtone.Daemon.Storage;

namespace Dialtone.Daemon.Config;

/// <summary>Where the daemon keeps its data.</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Holds the SQLite database and the recordings. Default: <c>$STATE_DIRECTORY</c> (systemd's
    /// StateDirectory=), else <c>$XDG_DATA_HOME/dialtone</c>, else <c>~/.local/share/dialtone</c>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// How far a committed write is kept: <c>Normal</c> (default) survives a crash or kill of the
    /// daemon; <c>Full</c> also survives a power cut, for one fsync per group commit.
    /// </summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Normal;

    public string DatabaseFile(string dataDirectory) => Path.Combine(dataDirectory, "dialtone.db");

    public string RecordingsDirectory(string dataDirectory) => Path.Combine(dataDirectory, "recordings");
}
