namespace PgWire;

/// <summary>
/// A value could not be converted between .NET and PostgreSQL without losing it: a number that does not fit
/// the column's or parameter's type, a NaN where decimal has none, a value of a type PgWire cannot send.
/// Nothing was sent, or the row was read no further; the connection is still usable.
/// </summary>
public class PgConversionException : PgException
{
    private readonly string? _sqlState;

    public PgConversionException(string message, string? sqlState = null, Exception? innerException = null)
        : base(message, innerException)
    {
        _sqlState = sqlState;
    }

    /// <summary>22003 (numeric_value_out_of_range) when a value does not fit; otherwise 22000 (data_exception) or null.</summary>
    public override string? SqlState => _sqlState;

    /// <summary>
    /// The message with the value it names left out, or null when it names none. A parameter's value can be a secret,
    /// so the value stays out of the exception unless Log Parameters or Include Error Detail allow it.
    /// </summary>
    internal string? MessageWithoutValue { get; init; }

    /// <summary>This failure without the value: the message that leaves it out, and no inner exception that holds it.</summary>
    internal PgConversionException WithoutValue() =>
        new(MessageWithoutValue + " (The value is left out of this message; 'Log Parameters=true' in the connection string shows it.)",
            _sqlState);
}
