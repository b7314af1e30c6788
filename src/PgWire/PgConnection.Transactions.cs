using System.Data;

namespace PgWire;

public sealed partial class PgConnection
{
    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; when the server reports a serialization failure
    /// (40001) or a deadlock (40P01), from the work or from COMMIT, rolls back and runs the whole unit again, up to
    /// <paramref name="maxAttempts"/> times, waiting a little longer (with jitter) after each failure. Any other error
    /// rolls back and propagates. The work must be safe to run more than once: it sees only its own attempt's effects.
    /// </summary>
    public Task<T> RunInTransactionAsync<T>(Func<PgTransaction, CancellationToken, Task<T>> work,
        IsolationLevel isolation = IsolationLevel.Serializable, int maxAttempts = 10, CancellationToken cancellationToken = default) =>
        TransactionRetry.RunAsync(this, work, isolation, maxAttempts, cancellationToken);

    /// <inheritdoc cref="RunInTransactionAsync{T}(Func{PgTransaction, CancellationToken, Task{T}}, IsolationLevel, int, CancellationToken)"/>
    public Task RunInTransactionAsync(Func<PgTransaction, CancellationToken, Task> work,
        IsolationLevel isolation = IsolationLevel.Serializable, int maxAttempts = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunInTransactionAsync<bool>(async (tx, ct) =>
        {
            await work(tx, ct).ConfigureAwait(false);
            return true;
        }, isolation, maxAttempts, cancellationToken);
    }
}
