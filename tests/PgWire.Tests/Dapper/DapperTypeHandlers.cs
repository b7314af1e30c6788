using System.Data;
using Dapper;

namespace PgWire.Tests.Dapper;

/// <summary>
/// Dapper type handlers as an application would write them for PgWire, and their registration. Dapper keeps its
/// handlers in process-wide state, so every Dapper test class registers them first, whatever order the tests run in.
/// </summary>
internal static class DapperTypeHandlers
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new TimeOnlyHandler());
        SqlMapper.AddTypeHandler(new PgRangeHandler<int>());
        return true;
    });

    public static void Register() => _ = Registered.Value;

    /// <summary>A date column as DateOnly, sent as date.</summary>
    public sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly date => date,
            DateTime dateTime => DateOnly.FromDateTime(dateTime),
            _ => throw new InvalidCastException($"A date column was read as {value.GetType()}."),
        };
    }

    /// <summary>A time column as TimeOnly, sent as time.</summary>
    public sealed class TimeOnlyHandler : SqlMapper.TypeHandler<TimeOnly>
    {
        public override void SetValue(IDbDataParameter parameter, TimeOnly value)
        {
            parameter.DbType = DbType.Time;
            parameter.Value = value;
        }

        public override TimeOnly Parse(object value) => value switch
        {
            TimeOnly time => time,
            TimeSpan span => TimeOnly.FromTimeSpan(span),
            _ => throw new InvalidCastException($"A time column was read as {value.GetType()}."),
        };
    }

    /// <summary>
    /// A range column as PgRange: without it Dapper would refuse a PgRange parameter ("cannot be used as a parameter
    /// value") and read a range by mapping its columns onto the struct's members, which match none.
    /// </summary>
    public sealed class PgRangeHandler<T> : SqlMapper.TypeHandler<PgRange<T>>
    {
        public override void SetValue(IDbDataParameter parameter, PgRange<T> value) => parameter.Value = value;

        public override PgRange<T> Parse(object value) => (PgRange<T>)value;
    }
}
