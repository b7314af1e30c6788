namespace PgWire.Benchmarks;

/// <summary>Keeps what a lookup loop read, so no driver's work can be skipped, and checks each lookup found its row.</summary>
internal static class Sink
{
    private static long s_kept;

    /// <summary>Folds a row's values into one number for the loop to add up.</summary>
    public static long Touch(int id, string name, bool isActive) => id + name.Length + (isActive ? 1 : 0);

    /// <summary>Ends a lookup loop: its total is kept, and every lookup must have found exactly one row.</summary>
    public static void Finish(long lookups, long rowsFound, long touched)
    {
        Interlocked.Add(ref s_kept, touched);
        if (lookups != rowsFound)
            throw new InvalidOperationException($"{lookups:N0} lookups found {rowsFound:N0} rows; every id exists, so each must find one.");
    }
}
