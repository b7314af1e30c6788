using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Integration;

/// <summary>
/// Reading int and bool columns through PgDataReader allocates nothing per row. Allocation is measured on the current
/// thread around synchronous reads, so the work cannot move to another thread; the bound (16 bytes a row on average)
/// is generous so that only a real per-row allocation trips it.
/// </summary>
[Collection("Database")]
public sealed class ReaderAllocationTests(DatabaseFixture db)
{
    private const int RowCount = 100_000;
    private const string HundredThousandRows = "SELECT g, g % 2 = 0 FROM generate_series(1, 100000) g";

    private static (long Sum, int Evens) ReadAll(PgConnection conn)
    {
        using var cmd = new PgCommand(HundredThousandRows, conn);
        using var reader = cmd.ExecuteReader();
        long sum = 0;
        int evens = 0;
        while (reader.Read())
        {
            sum += reader.GetInt32(0);
            if (reader.GetBoolean(1)) evens++;
        }
        return (sum, evens);
    }

    [Fact]
    public async Task Reading_100000_int_and_bool_rows_allocates_less_than_16_bytes_per_row()
    {
        await using var conn = await db.OpenAsync();
        ReadAll(conn); // describes the statement and JIT-compiles the read path

        long before = GC.GetAllocatedBytesForCurrentThread();
        var (sum, evens) = ReadAll(conn);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((long)RowCount * (RowCount + 1) / 2, sum);
        Assert.Equal(RowCount / 2, evens);
        Assert.True(allocated < 16L * RowCount,
            $"Reading {RowCount:N0} rows allocated {allocated:N0} bytes, {(double)allocated / RowCount:F1} per row.");
    }

    [Fact]
    public async Task Reading_100000_rows_as_nullable_and_generic_values_allocates_less_than_16_bytes_per_row()
    {
        await using var conn = await db.OpenAsync();
        long Read()
        {
            using var cmd = new PgCommand(HundredThousandRows, conn);
            using var reader = cmd.ExecuteReader();
            long sum = 0;
            while (reader.Read())
            {
                if (!reader.IsDBNull(0)) sum += reader.GetFieldValue<int>(0);
                if (reader.GetFieldValue<bool>(1)) sum++;
            }
            return sum;
        }
        Read();

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = Read();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((long)RowCount * (RowCount + 1) / 2 + RowCount / 2, sum);
        Assert.True(allocated < 16L * RowCount,
            $"Reading {RowCount:N0} rows allocated {allocated:N0} bytes, {(double)allocated / RowCount:F1} per row.");
    }
}
