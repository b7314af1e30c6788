using System.Data;

namespace PgWire;

/// <summary>
/// <see cref="PgConnection.RunInTransactionAsync{T}"/>'s loop: a unit of work run in a transaction and run again after
/// a serialization failure or a deadlock, with a growing, jittered wait between attempts.
/// </summary>
internal static class TransactionRetry
{
    public static async Task<T> RunAsync<T>(PgConnection connection, Func<PgTransaction, CancellationToken, Task<T>> work,
        IsolationLevel isolation, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (int attempt = 1; ; attempt++)
        {
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
            try
            {
                T result = await work(transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PgServerException e) when (IsRetryable(e) && attempt < maxAttempts && connection.State == ConnectionState.Open)
            {
                if (!transaction.IsCompleted) await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The same for work that returns nothing.</summary>
    public static Task RunAsync(PgConnection connection, Func<PgTransaction, CancellationToken, Task> work,
        IsolationLevel isolation, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync<bool>(connection, async (tx, ct) =>
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
