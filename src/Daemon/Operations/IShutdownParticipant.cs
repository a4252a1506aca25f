namespace Dialtone.Daemon.Operations;

/// <summary>
/// Work that must wind down before the daemon stops (calls in progress). <see cref="ShutdownCoordinator"/>
/// calls every participant once draining has begun (new calls are already refused).
/// </summary>
public interface IShutdownParticipant
{
    /// <param name="gracePeriod">How long work may go on by itself; after it, end it.</param>
    /// <param name="cancellationToken">Fires when the host's own shutdown timeout is reached: return at once.</param>
    Task DrainAsync(TimeSpan gracePeriod, CancellationToken cancellationToken);
}
