using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>Keeps every frame a stream hands its sinks, per direction.</summary>
internal sealed class CapturingSink : IAudioSink
{
    private readonly Lock _sync = new();
    private readonly List<short> _received = [];
    private readonly List<short> _sent = [];

    public int ReceivedFrames { get; private set; }

    public int SentFrames { get; private set; }

    public short[] Received
    {
        get
        {
            lock (_sync)
            {
                return [.. _received];
            }
        }
    }

    public short[] Sent
    {
        get
        {
            lock (_sync)
            {
                return [.. _sent];
            }
        }
    }

    public void Write(ReadOnlySpan<short> samples, AudioDirection direction)
    {
        lock (_sync)
        {
            if (direction == AudioDirection.Received)
            {
                ReceivedFrames++;
                foreach (short sample in samples)
                {
                    _received.Add(sample);
                }
            }
            else
            {
                SentFrames++;
                foreach (short sample in samples)
                {
                    _sent.Add(sample);
                }
            }
        }
    }
}
