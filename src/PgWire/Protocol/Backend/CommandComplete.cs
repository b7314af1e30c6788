using System.Text;

namespace PgWire.Protocol.Backend;

/// <summary>CommandComplete ('C'): the command tag, from which the rows affected are read.</summary>
internal static class CommandComplete
{
    /// <summary>The row count of tags such as "INSERT 0 5", "UPDATE 3", "SELECT 10", "COPY 7"; -1 when the tag has none.</summary>
    public static long ParseRowCount(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.CommandComplete);
        var tag = reader.ReadCStringBytes();
        int lastSpace = tag.LastIndexOf((byte)' ');
        if (lastSpace < 0) return -1;
        var number = tag.Slice(lastSpace + 1);
        long value = 0;
        if (number.IsEmpty) return -1;
        foreach (byte b in number)
        {
            if (b < '0' || b > '9') return -1;
            if (value > (long.MaxValue - (b - '0')) / 10)
                throw reader.Violation("a row count larger than Int64");
            value = value * 10 + (b - '0');
        }
        return value;
    }

    public static string ParseTag(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.CommandComplete);
        return Encoding.UTF8.GetString(reader.ReadCStringBytes());
    }
}
