namespace Dialtone.Daemon.Operations;

/// <summary>Whether the daemon is draining: new calls are refused, work in flight may finish.</summary>
public sealed class ShutdownState
{
    private readonly CancellationTokenSource _draining = new();

    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Fires when draining starts.</summary>
    public CancellationToken Draining => _draining.Token;

    public void BeginDraining()
    {
        if (!_draining.IsCancellationRequested)
            _draining.Cancel();
    }
}
