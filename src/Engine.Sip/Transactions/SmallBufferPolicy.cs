using Microsoft.Extensions.ObjectPool;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>Makes the small buffers of <see cref="SipTransactionLayer.RentBuffer(int)"/>.</summary>
internal sealed class SmallBufferPolicy : PooledObjectPolicy<SipMessageBuffer>
{
    public override SipMessageBuffer Create() => new(SipMessageBuffer.SmallCapacity);

    public override bool Return(SipMessageBuffer obj) => true;
}
