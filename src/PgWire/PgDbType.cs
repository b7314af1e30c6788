using System.Data;

namespace PgWire;

/// <summary>The PostgreSQL type a <see cref="PgParameter"/> is sent as, when the value's .NET type should not decide.</summary>
public enum PgDbType
{
    /// <summary>Sent untyped (OID 0) as text: the server infers the type from the statement. The default for strings.</summary>
    Unknown = 0,
    Boolean,
    Smallint,
    Integer,
    Bigint,
    Real,
    Double,
    Numeric,
    Text,
    Varchar,
    /// <summary>character(n), blank-padded.</summary>
    Char,
    /// <summary>The one-byte internal type "char".</summary>
    InternalChar,
    Name,
    Bytea,
    Oid,

    // Issue 3's type system (each is supported once its codec is registered; until then naming it is an ArgumentException).
    Timestamp,
    TimestampTz,
    Date,
    Time,
    TimeTz,
    Interval,
    Uuid,
    Json,
    Jsonb,
    Xml,
    Inet,
    Cidr,
    MacAddr,
    MacAddr8,
    Bit,
    Varbit,
    Money,
    Citext,
    Hstore,
    Xid,
    Xid8,
    Cid,
    Regclass,
    Regtype,
    Tid,
    PgLsn,
    Int4Range,
    Int8Range,
    NumRange,
    TsRange,
    TsTzRange,
    DateRange,
    Int4Multirange,
    Int8Multirange,
    NumMultirange,
    TsMultirange,
    TsTzMultirange,
    DateMultirange,

    /// <summary>Combined with an element type (<c>PgDbType.Array | PgDbType.Integer</c>) for a one- or more-dimensional array of it.</summary>
    Array = int.MinValue,
}

internal static class PgDbTypeMapping
{
    public static PgDbType FromDbType(DbType dbType) => dbType switch
    {
        DbType.Boolean => PgDbType.Boolean,
        DbType.Byte or DbType.SByte or DbType.Int16 => PgDbType.Smallint,
        DbType.Int32 or DbType.UInt16 => PgDbType.Integer,
        DbType.Int64 or DbType.UInt32 => PgDbType.Bigint,
        DbType.UInt64 or DbType.Decimal or DbType.VarNumeric or DbType.Currency => PgDbType.Numeric,
        DbType.Single => PgDbType.Real,
        DbType.Double => PgDbType.Double,
        DbType.String or DbType.AnsiString => PgDbType.Text,
        DbType.StringFixedLength or DbType.AnsiStringFixedLength => PgDbType.Char,
        DbType.Binary => PgDbType.Bytea,
        DbType.Object => PgDbType.Unknown,
        DbType.Guid => PgDbType.Uuid,
        DbType.Date => PgDbType.Date,
        DbType.Time => PgDbType.Time,
        DbType.DateTime or DbType.DateTime2 => PgDbType.Timestamp,
        DbType.DateTimeOffset => PgDbType.TimestampTz,
        DbType.Xml => PgDbType.Xml,
        _ => throw new ArgumentException($"DbType.{dbType} is not supported yet by PgWire.", nameof(dbType)),
    };

    public static DbType ToDbType(PgDbType type) => type switch
    {
        PgDbType.Boolean => DbType.Boolean,
        PgDbType.Smallint => DbType.Int16,
        PgDbType.Integer => DbType.Int32,
        PgDbType.Bigint => DbType.Int64,
        PgDbType.Real => DbType.Single,
        PgDbType.Double => DbType.Double,
        PgDbType.Numeric => DbType.Decimal,
        PgDbType.Text or PgDbType.Varchar or PgDbType.Name => DbType.String,
        PgDbType.Char or PgDbType.InternalChar => DbType.StringFixedLength,
        PgDbType.Bytea => DbType.Binary,
        PgDbType.Oid => DbType.UInt32,
        PgDbType.Uuid => DbType.Guid,
        PgDbType.Date => DbType.Date,
        PgDbType.Time => DbType.Time,
        PgDbType.Timestamp => DbType.DateTime2,
        PgDbType.TimestampTz => DbType.DateTimeOffset,
        PgDbType.Xml => DbType.Xml,
        PgDbType.Money => DbType.Currency,
        _ => DbType.Object,
    };
}
