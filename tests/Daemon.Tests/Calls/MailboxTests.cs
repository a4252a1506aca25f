using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Tests.Calls;

public sealed class MailboxTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Items_written_before_the_read_come_out_in_order()
    {
        var mailbox = new Mailbox<int>();
        Assert.True(mailbox.TryWrite(1));
        Assert.True(mailbox.TryWrite(2));
        Assert.True(mailbox.TryWrite(3));
        mailbox.Complete();

        var read = new List<int>();
        await foreach (int item in mailbox.ReadAllAsync().WithCancellation(CancellationToken.None))
            read.Add(item);

        Assert.Equal([1, 2, 3], read);
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_write_on_another_thread_and_not_on_the_writers_thread()
    {
        var mailbox = new Mailbox<string>();
        ValueTask<bool> wait = mailbox.WaitToReadAsync();
        Assert.False(wait.IsCompleted);

        int writerThread = -1;
        var continuedOn = new TaskCompletionSource<int>();
        Task reader = Task.Run(async () =>
        {
            Assert.True(await wait);
            continuedOn.SetResult(Environment.CurrentManagedThreadId);
        });
        var writer = new Thread(() =>
        {
            writerThread = Environment.CurrentManagedThreadId;
            mailbox.TryWrite("ringing");
            // Held here a moment: a continuation run inline would finish on this thread first.
            Thread.Sleep(50);
        });
        writer.Start();
        writer.Join();

        int readerThread = await continuedOn.Task.WaitAsync(HangGuard);
        await reader.WaitAsync(HangGuard);
        Assert.NotEqual(writerThread, readerThread);
        Assert.True(mailbox.TryRead(out string? item));
        Assert.Equal("ringing", item);
    }

    [Fact]
    public async Task Complete_ends_a_waiting_reader_with_false_and_refuses_later_writes()
    {
        var mailbox = new Mailbox<int>();
        ValueTask<bool> wait = mailbox.WaitToReadAsync();

        mailbox.Complete();

        Assert.False(await wait.AsTask().WaitAsync(HangGuard));
        Assert.False(mailbox.TryWrite(7));
        Assert.False(mailbox.TryRead(out _));
        Assert.False(await mailbox.WaitToReadAsync());
    }

    [Fact]
    public async Task What_was_queued_before_complete_is_still_read()
    {
        var mailbox = new Mailbox<int>();
        mailbox.TryWrite(5);
        mailbox.Complete();

        Assert.True(await mailbox.WaitToReadAsync());
        Assert.True(mailbox.TryRead(out int item));
        Assert.Equal(5, item);
        Assert.False(await mailbox.WaitToReadAsync());
    }

    [Fact]
    public async Task A_canceled_wait_throws_and_the_next_wait_still_gets_the_next_item()
    {
        var mailbox = new Mailbox<int>();
        using var cancel = new CancellationTokenSource();
        ValueTask<bool> wait = mailbox.WaitToReadAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.AsTask().WaitAsync(HangGuard));
        ValueTask<bool> next = mailbox.WaitToReadAsync(CancellationToken.None);
        mailbox.TryWrite(9);
        Assert.True(await next.AsTask().WaitAsync(HangGuard));
        Assert.True(mailbox.TryRead(out int item));
        Assert.Equal(9, item);
    }

    [Fact]
    public async Task A_wait_with_a_token_already_canceled_is_canceled_at_once()
    {
        var mailbox = new Mailbox<int>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await mailbox.WaitToReadAsync(new CancellationToken(canceled: true)));
        mailbox.TryWrite(1);
        Assert.True(await mailbox.WaitToReadAsync());
    }

    [Fact]
    public void A_second_pending_wait_is_refused()
    {
        var mailbox = new Mailbox<int>();
        _ = mailbox.WaitToReadAsync();

        Assert.Throws<InvalidOperationException>(() => mailbox.WaitToReadAsync());
    }

    [Fact]
    public async Task Many_writers_lose_nothing_and_the_reader_sees_each_writers_order()
    {
        const int Writers = 4;
        const int PerWriter = 20_000;
        var mailbox = new Mailbox<(int Writer, int Sequence)>();
        var next = new int[Writers];
        int total = 0;
        Task reader = Task.Run(async () =>
        {
            await foreach ((int writer, int sequence) in mailbox.ReadAllAsync())
            {
                Assert.Equal(next[writer], sequence);
                next[writer]++;
                total++;
            }
        });

        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < PerWriter; i++)
                Assert.True(mailbox.TryWrite((w, i)));
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(HangGuard);
        mailbox.Complete();
        await reader.WaitAsync(HangGuard);

        Assert.Equal(Writers * PerWriter, total);
    }
}
