using Dialtone.Engine.Sip.Tests.Peers;

namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>kamailio (407 digest) in front of baresip, a daemon whose trunk is that kamailio, and the customer's app server: started once per test class.</summary>
public sealed class CarrierFixture : IAsyncLifetime
{
    public CarrierChain Chain { get; private set; } = null!;

    public CarrierDaemon Daemon { get; private set; } = null!;

    public AppServer Apps { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Chain = new CarrierChain();
        Apps = await AppServer.StartAsync();
        Daemon = await CarrierDaemon.StartAsync(Chain.Kamailio.Port, KamailioPeer.Password);
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        await Apps.DisposeAsync();
        Chain.Dispose();
    }
}
