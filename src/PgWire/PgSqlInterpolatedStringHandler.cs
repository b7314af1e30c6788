using System.Runtime.CompilerServices;
using System.Text;

namespace PgWire;

/// <summary>
/// Turns an interpolated string passed to the native API into SQL with positional parameters:
/// <c>conn.QueryAsync($"SELECT * FROM t WHERE id = {id}")</c> sends <c>SELECT * FROM t WHERE id = $1</c>
/// with <c>id</c> as a parameter. Every hole becomes a parameter, never text: a hole cannot name a table or a column.
/// </summary>
[InterpolatedStringHandler]
public ref struct PgSqlInterpolatedStringHandler
{
    private readonly StringBuilder _sql;
    private readonly List<object?> _args;

    public PgSqlInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _sql = new StringBuilder(literalLength + formattedCount * 3);
        _args = new List<object?>(formattedCount);
    }

    public void AppendLiteral(string value) => _sql.Append(value);

    public void AppendFormatted<T>(T value)
    {
        _args.Add(value);
        _sql.Append('$').Append(_args.Count);
    }

    /// <summary>A format string has no meaning for a parameter: the value is sent as it is.</summary>
    public void AppendFormatted<T>(T value, string? format)
    {
        if (format is not null)
            throw new ArgumentException($"The hole {{{_args.Count + 1}:{format}}} has a format, but holes become parameters and are sent as values; format the value first.");
        AppendFormatted(value);
    }

    internal (string Sql, object?[] Args) Build() => (_sql.ToString(), _args.ToArray());
}
