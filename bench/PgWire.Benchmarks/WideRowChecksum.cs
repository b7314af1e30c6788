using System.Runtime.CompilerServices;

namespace PgWire.Benchmarks;

/// <summary>
/// An order-independent checksum of W3's rows (the sum of a hash per row), so both drivers must read every value
/// alike to agree, whatever order the server sends the rows in.
/// </summary>
internal static class WideRowChecksum
{
    public static ulong Row(int int4, long int8, string text, bool flag, double float8, DateTime timestamp, decimal numeric, Guid uuid)
    {
        ulong h = 14695981039346656037UL;
        h = Mix(h, (ulong)(uint)int4);
        h = Mix(h, (ulong)int8);
        h = Mix(h, Text(text));
        h = Mix(h, flag ? 1UL : 2UL);
        h = Mix(h, (ulong)BitConverter.DoubleToInt64Bits(float8));
        h = Mix(h, (ulong)timestamp.Ticks ^ ((ulong)timestamp.Kind << 62));
        h = Mix(h, (ulong)decimal.ToInt64(numeric * 10_000m));
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes);
        h = Mix(h, BitConverter.ToUInt64(bytes));
        h = Mix(h, BitConverter.ToUInt64(bytes[8..]));
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h, ulong value) => (h ^ value) * 1099511628211UL + (h >> 29);

    private static ulong Text(string text)
    {
        ulong h = (ulong)text.Length;
        foreach (char c in text)
            h = (h ^ c) * 1099511628211UL;
        return h;
    }
}
