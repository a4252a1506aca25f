using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// The database's one writer: a thread that owns one connection and commits the writes queued
/// while the previous commit ran together, in one transaction (group commit). At 1,000 calls per
/// second the daemon makes several thousand small writes a second; one transaction (and, with
/// <see cref="SqliteDurability.Full"/>, one fsync) per write would cap it far below that, while a
/// batch costs about what one write does.
/// </summary>
/// <remarks>
/// Each write still succeeds or fails alone: when a batch fails (a constraint, a full disk), it is
/// rolled back and its writes are run again one per transaction, so only the faulty one fails. A
/// write is complete (its task finished) only after its transaction committed. Writes run in the
/// order they were queued, so one caller's writes commit in the order it made them.
/// </remarks>
internal sealed class SqliteGroupCommitWriter : IDisposable
{
    /// <summary>The most writes in one transaction: bounds the time a batch holds the write lock.</summary>
    private const int MaxBatch = 512;

    /// <summary>
    /// Under load, the writer waits this long before a batch that would be smaller than <see cref="GatherEnough"/>.
    /// Every commit writes the pages it changed to the WAL, and the hot pages (the tables' and
    /// indexes' right edges) change in every one, so fewer, larger commits write less. 2 ms rather
    /// than 1: at 600 calls/s the writer's CPU fell by a tenth, for 1 ms more on the REST p50.
    /// </summary>
    private const int GatherMilliseconds = 2;

    private const int GatherEnough = 64;

    /// <summary>A write arriving within this of the last commit means a steady stream of them (2 ms).</summary>
    private static readonly long SteadyGapTicks = TimeSpan.FromMilliseconds(2).Ticks;

    private readonly ConcurrentQueue<Pending> _queue = new();
    // No spinning before blocking: the writer waits between batches, and a spinning waiter would burn
    // a core's share for nothing on a small machine.
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 0);
    private readonly SqliteConnection _connection;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _writes;
    private long _commits;

    public SqliteGroupCommitWriter(SqliteConnection connection)
    {
        _connection = connection;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
        _thread.Start();
    }

    /// <summary>Writes committed since start.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Transactions committed since start (writes / commits = the average batch).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public Task<T> Enqueue<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);
        var pending = new Pending<T>(work);
        if (cancellationToken.CanBeCanceled)
            pending.CancelWith(cancellationToken);
        ObjectDisposedException.ThrowIf(_stopping, this);
        _queue.Enqueue(pending);
        _signal.Set();
        // Disposed meanwhile: the writer may be gone already, so the write fails here (unless it was taken).
        if (_stopping && pending.TryStart())
            pending.Fail(new ObjectDisposedException(nameof(SqliteDatabase)));
        return pending.Task;
    }

    private void Run()
    {
        var batch = new List<Pending>(MaxBatch);
        var busy = false;
        long lastCommitEnd = 0;
        while (true)
        {
            _signal.Wait();
            _signal.Reset();
            while (true)
            {
                // Under load (writes kept coming while the last batch committed, or the next one came
                // right after it), wait a moment so that the next batch gathers more: a commit costs
                // about the same for one write as for fifty. A commit takes about 100 µs, so at a few
                // thousand writes a second most of them would otherwise find the queue empty and
                // commit alone. When writes come one at a time, none waits.
                bool steady = Stopwatch.GetElapsedTime(lastCommitEnd).Ticks < SteadyGapTicks;
                if ((busy || steady) && _queue.Count < GatherEnough)
                    Thread.Sleep(GatherMilliseconds);
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var pending))
                {
                    // A write whose caller gave up before it ran is skipped (its task is already canceled).
                    if (pending.TryStart())
                        batch.Add(pending);
                }
                if (batch.Count == 0)
                {
                    busy = false;
                    break;
                }
                Commit(batch);
                lastCommitEnd = Stopwatch.GetTimestamp();
                busy = !_queue.IsEmpty;
            }
            if (_stopping)
                return;
        }
    }

    private void Commit(List<Pending> batch)
    {
        try
        {
            RunInOneTransaction(batch);
        }
        catch (Exception) when (batch.Count > 1)
        {
            // The transaction was rolled back: run each write alone, so only the faulty one fails.
            foreach (var pending in batch)
            {
                try
                {
                    RunInOneTransaction([pending]);
                }
                catch (Exception e)
                {
                    pending.Fail(e);
                }
            }
            return;
        }
        catch (Exception e)
        {
            batch[0].Fail(e);
            return;
        }
    }

    private void RunInOneTransaction(List<Pending> batch)
    {
        // IMMEDIATE: the write lock is taken up front, so a read-then-write inside cannot deadlock on upgrade.
        using (var transaction = _connection.BeginTransaction(IsolationLevel.Serializable, deferred: false))
        {
            foreach (var pending in batch)
                pending.Run(_connection, transaction);
            transaction.Commit();
        }
        Interlocked.Add(ref _writes, batch.Count);
        Interlocked.Increment(ref _commits);
        // One thread-pool item completes the whole batch, its writers' continuations running one
        // after another on it: a batch of sixteen writes wakes one worker, not sixteen.
        ThreadPool.UnsafeQueueUserWorkItem(static committed =>
        {
            foreach (var pending in committed)
                pending.Complete();
        }, batch.ToArray(), preferLocal: false);
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        _signal.Set();
        // The thread finishes the writes already queued, then ends.
        _thread.Join();
        while (_queue.TryDequeue(out var left))
        {
            if (left.TryStart())
                left.Fail(new ObjectDisposedException(nameof(SqliteDatabase)));
        }
        SqliteStatementCache.Release(_connection);
        _connection.Dispose();
        _signal.Dispose();
    }

    /// <summary>
    /// A queued write: not started, running (or done), or canceled before it ran. Its task completes
    /// on a thread-pool thread, never on the writer's (whose next batch would wait for the writer's
    /// continuation) nor inside a caller's <c>Cancel()</c>.
    /// </summary>
    private abstract class Pending
    {
        private const int Waiting = 0;
        private const int Started = 1;
        private const int Canceled = 2;
        private int _state;
        private CancellationTokenRegistration _registration;

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;

        public void CancelWith(CancellationToken cancellationToken) =>
            _registration = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var pending = (Pending)state!;
                if (Interlocked.CompareExchange(ref pending._state, Canceled, Waiting) == Waiting)
                    ThreadPool.UnsafeQueueUserWorkItem(static canceled => canceled.Pending.SetCanceled(canceled.Token), (Pending: pending, Token: token), preferLocal: false);
            }, this);

        public abstract void Run(SqliteConnection connection, SqliteTransaction transaction);

        public void Complete()
        {
            _registration.Dispose();
            SetResult();
        }

        public void Fail(Exception error)
        {
            _registration.Dispose();
            ThreadPool.UnsafeQueueUserWorkItem(static failed => failed.Pending.SetException(failed.Error), (Pending: this, Error: error), preferLocal: false);
        }

        protected abstract void SetResult();

        protected abstract void SetException(Exception error);

        protected abstract void SetCanceled(CancellationToken token);
    }

    private sealed class Pending<T>(Func<SqliteConnection, SqliteTransaction, T> work) : Pending
    {
        // Continuations run where the task completes: always a thread-pool item (see Pending).
        private readonly TaskCompletionSource<T> _completion = new();
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = work(connection, transaction);

        protected override void SetResult() => _completion.TrySetResult(_result);

        protected override void SetException(Exception error) => _completion.TrySetException(error);

        protected override void SetCanceled(CancellationToken token) => _completion.TrySetCanceled(token);
    }
}
