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
    public async Task<T> RunInTransactionAsync<T>(Func<PgTransaction, CancellationToken, Task<T>> work,
        IsolationLevel isolation = IsolationLevel.Serializable, int maxAttempts = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (int attempt = 1; ; attempt++)
        {
            await using var transaction = await BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
            try
            {
                T result = await work(transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PgServerException e) when (IsRetryable(e) && attempt < maxAttempts && State == ConnectionState.Open)
            {
                if (!transaction.IsCompleted) await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

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

    internal static bool IsRetryable(PgServerException e) =>
        e.SqlState is PgErrorCodes.SerializationFailure or PgErrorCodes.DeadlockDetected;

    /// <summary>A few milliseconds, doubling per attempt up to about a second, with jitter so that colliding units part.</summary>
    internal static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 1 + Math.Min(1000, 2 << Math.Min(attempt, 9))));
}
