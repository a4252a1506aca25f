using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Dialtone.Daemon.Calls;

/// <summary>
/// An unbounded queue with one reader that waits asynchronously: what a call's task reads its
/// events and commands from. Any thread may write; the reader's continuation never runs on the
/// writer's thread (a SIP receive thread must not run a call's orchestration).
/// </summary>
/// <remarks>
/// A <c>Channel</c> would do, but an unbounded channel starts with a 32-slot segment and a set of
/// waiter objects, about 900 bytes, and a call holds three of these queues for as long as it lasts,
/// each of which sees a handful of items in its life. This one is about 200 bytes until something is
/// written, and its queue grows from four slots.
/// </remarks>
public sealed class Mailbox<T> : IValueTaskSource<bool>
{
    private readonly Lock _lock = new();
    private Queue<T>? _items;
    private bool _completed;
    private bool _waiting;
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _waitRegistration;
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };

    /// <summary>Adds <paramref name="item"/>; false once <see cref="Complete"/> was called.</summary>
    public bool TryWrite(T item)
    {
        CancellationTokenRegistration registration;
        lock (_lock)
        {
            if (_completed)
                return false;
            (_items ??= new Queue<T>(4)).Enqueue(item);
            if (!_waiting)
                return true;
            registration = EndWait();
        }
        registration.Dispose();
        _waiter.SetResult(true);
        return true;
    }

    /// <summary>No more items will come; the reader sees the end once it has read what is queued.</summary>
    public void Complete()
    {
        CancellationTokenRegistration registration;
        lock (_lock)
        {
            if (_completed)
                return;
            _completed = true;
            if (!_waiting)
                return;
            // A waiting reader has nothing queued (it would not be waiting otherwise).
            registration = EndWait();
        }
        registration.Dispose();
        _waiter.SetResult(false);
    }

    /// <summary>Takes the oldest item, if there is one.</summary>
    public bool TryRead(out T item)
    {
        lock (_lock)
        {
            if (_items is { Count: > 0 })
            {
                item = _items.Dequeue();
                return true;
            }
        }
        item = default!;
        return false;
    }

    /// <summary>
    /// Completes with true when an item can be read, or false once the mailbox is completed and empty.
    /// One wait at a time.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_items is { Count: > 0 })
                return new ValueTask<bool>(true);
            if (_completed)
                return new ValueTask<bool>(false);
            if (_waiting)
                throw new InvalidOperationException("A mailbox has one reader: another wait is pending.");
            if (cancellationToken.IsCancellationRequested)
                return ValueTask.FromCanceled<bool>(cancellationToken);
            _waiter.Reset();
            _waiting = true;
            _waitToken = cancellationToken;
            // Registered under the lock, so that a writer that ends the wait finds the registration to
            // dispose. A token canceled meanwhile runs the callback here, which re-enters the lock.
            if (cancellationToken.CanBeCanceled)
                _waitRegistration = cancellationToken.UnsafeRegister(static (state, token) => ((Mailbox<T>)state!).CancelWait(token), this);
            return new ValueTask<bool>(this, _waiter.Version);
        }
    }

    /// <summary>Every item until the mailbox is completed and empty.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (TryRead(out T item))
                yield return item;
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    private void CancelWait(CancellationToken token)
    {
        lock (_lock)
        {
            // Only the wait this registration was made for: an earlier wait's callback that lost the
            // race to a writer must not cancel the next wait.
            if (!_waiting || _waitToken != token)
                return;
            _waiting = false;
            _waitToken = default;
            _waitRegistration = default;
        }
        _waiter.SetException(new OperationCanceledException(token));
    }

    /// <summary>Ends the pending wait (under the lock); the caller disposes what it returns outside the lock.</summary>
    private CancellationTokenRegistration EndWait()
    {
        _waiting = false;
        _waitToken = default;
        CancellationTokenRegistration registration = _waitRegistration;
        _waitRegistration = default;
        return registration;
    }
}
