using Dialtone.Engine.Rtp.Receiving;
using Microsoft.Extensions.ObjectPool;

namespace Dialtone.Engine.Rtp.Streams;

/// <summary>Creates <see cref="RtpStreamResources"/> for the engine's pool and cleans them on return.</summary>
internal sealed class RtpStreamResourcesPolicy(JitterBufferOptions jitterBufferOptions) : PooledObjectPolicy<RtpStreamResources>
{
    public override RtpStreamResources Create() => new(jitterBufferOptions);

    public override bool Return(RtpStreamResources obj)
    {
        obj.Reset();
        return true;
    }
}
