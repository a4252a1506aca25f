using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Benchmarks;

/// <summary>
/// The queue a call's task reads its SIP events and API commands from, over a call's life: made,
/// three events written and read, completed. Beside it, the unbounded channel it replaced, to show
/// what a call saves (bytes allocated per call are what an established call holds).
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class MailboxBenchmarks
{
    [Benchmark(Description = "a call's life: Mailbox, 3 events")]
    public async Task<int> Mailbox()
    {
        var mailbox = new Mailbox<int>();
        mailbox.TryWrite(180);
        mailbox.TryWrite(200);
        mailbox.TryWrite(-1);
        mailbox.Complete();
        int sum = 0;
        while (await mailbox.WaitToReadAsync().ConfigureAwait(false))
        {
            while (mailbox.TryRead(out int item))
                sum += item;
        }
        return sum;
    }

    [Benchmark(Baseline = true, Description = "a call's life: unbounded Channel, 3 events")]
    public async Task<int> Channel()
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
        channel.Writer.TryWrite(180);
        channel.Writer.TryWrite(200);
        channel.Writer.TryWrite(-1);
        channel.Writer.TryComplete();
        int sum = 0;
        while (await channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (channel.Reader.TryRead(out int item))
                sum += item;
        }
        return sum;
    }
}
