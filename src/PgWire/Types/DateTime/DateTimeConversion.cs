namespace PgWire.Types;

/// <summary>The errors the date and time codecs raise when a value has no counterpart on the other side.</summary>
internal static class DateTimeConversion
{
    /// <summary>A server value outside what the requested .NET type holds (4713 BC, 294276 AD, 24:00:00, ...).</summary>
    public static PgConversionException OutOfRange(string dataTypeName, string serverText, string target, string hint) =>
        new($"The {dataTypeName} value {serverText} is outside the range of .NET {target}; {hint}",
            PgErrorCodes.DatetimeFieldOverflow);

    /// <summary>A DateTime whose Kind says it is not a UTC instant, for a column that holds one.</summary>
    public static PgConversionException NotUtc(DateTime value) =>
        new($"A DateTime of Kind {value.Kind} cannot be sent as timestamp with time zone, which holds a UTC instant " +
            "and would otherwise have to guess the DateTime's time zone: convert it with ToUniversalTime() " +
            "(or DateTime.SpecifyKind(value, DateTimeKind.Utc) when it already is UTC), pass a DateTimeOffset, " +
            "or send it as timestamp without time zone (PgDbType.Timestamp).",
            PgErrorCodes.InvalidParameterValue);

    public static PgConversionException ParameterOutOfRange(object value, string dataTypeName, string range) =>
        new($"The value {value} does not fit PostgreSQL type {dataTypeName} ({range}).", PgErrorCodes.DatetimeFieldOverflow)
        {
            MessageWithoutValue = $"The {value.GetType().Name} value does not fit PostgreSQL type {dataTypeName} ({range}).",
        };

    /// <summary>A binary value the server would never send (a time past 24:00, a zone beyond ±16 hours).</summary>
    public static PgProtocolException Invalid(string dataTypeName, string detail) =>
        new($"The server sent a binary {dataTypeName} value that is not valid: {detail}.");
}
