namespace Dialtone.Daemon.Operations;

/// <summary>What <c>/readyz</c> reports: storage open, listeners up, not draining.</summary>
public sealed class ReadinessState(ShutdownState shutdown)
{
    private volatile bool _storageOpen;
    private volatile bool _listening;

    public bool StorageOpen => _storageOpen;

    public bool Listening => _listening;

    public bool IsDraining => shutdown.IsDraining;

    public bool IsReady => _storageOpen && _listening && !shutdown.IsDraining;

    public void MarkStorageOpen() => _storageOpen = true;

    public void MarkListening() => _listening = true;
}
