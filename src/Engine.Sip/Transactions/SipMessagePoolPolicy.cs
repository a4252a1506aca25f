using Dialtone.Engine.Sip.Message;
using Microsoft.Extensions.ObjectPool;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>Makes and resets the pooled <see cref="SipMessage"/> instances that hold requests a transaction keeps.</summary>
internal sealed class SipMessagePoolPolicy(int maxHeaders) : PooledObjectPolicy<SipMessage>
{
    public override SipMessage Create() => new(maxHeaders);

    public override bool Return(SipMessage obj)
    {
        obj.Reset();
        return true;
    }
}
