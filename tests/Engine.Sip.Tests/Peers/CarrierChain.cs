namespace Dialtone.Engine.Sip.Tests.Peers;

/// <summary>kamailio in front of baresip, started once for a test class and stopped by pid after it.</summary>
public sealed class CarrierChain : IDisposable
{
    private readonly BaresipPeer _baresip;
    private readonly KamailioPeer _kamailio;

    public CarrierChain()
    {
        _baresip = BaresipPeer.Start();
        try
        {
            _kamailio = KamailioPeer.Start(_baresip.SipPort);
        }
        catch
        {
            _baresip.Dispose();
            throw;
        }
    }

    internal BaresipPeer Baresip => _baresip;

    internal KamailioPeer Kamailio => _kamailio;

    public void Dispose()
    {
        _kamailio.Dispose();
        _baresip.Dispose();
    }
}
