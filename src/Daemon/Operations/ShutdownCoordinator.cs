using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Operations;

/// <summary>
/// Graceful shutdown. When a stop is asked (SIGTERM, systemctl stop), before any service stops: mark the
/// daemon draining (readiness fails, new calls get 503), then let every <see cref="IShutdownParticipant"/>
/// finish within the grace period. The REST API keeps answering meanwhile; callbacks keep flowing.
/// </summary>
public sealed class ShutdownCoordinator(
    ShutdownState state,
    IEnumerable<IShutdownParticipant> participants,
    TimeSpan gracePeriod,
    ILogger<ShutdownCoordinator> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDraining();
        logger.LogInformation("Shutting down: new calls are refused; calls in progress have {GraceSeconds} s to finish", gracePeriod.TotalSeconds);
        var drains = participants.Select(p => DrainOne(p, cancellationToken)).ToArray();
        await Task.WhenAll(drains).ConfigureAwait(false);
    }

    private async Task DrainOne(IShutdownParticipant participant, CancellationToken cancellationToken)
    {
        try
        {
            await participant.DrainAsync(gracePeriod, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Shutdown timeout reached while {Participant} was draining", participant.GetType().Name);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Participant} failed while draining", participant.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
