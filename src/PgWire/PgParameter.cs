using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using PgWire.Connection;
using PgWire.Types;

namespace PgWire;

/// <summary>
/// A value bound to a positional placeholder ($1, $2, ... in the order of <see cref="PgCommand.Parameters"/>).
/// Its PostgreSQL type follows from the value's .NET type unless <see cref="PgDbType"/> or <see cref="DbType"/> names it;
/// a string goes untyped so the server infers its type from the statement.
/// </summary>
/// <remarks>A value type set through <see cref="Value"/> is boxed; <see cref="PgParameter{T}"/> binds it without.</remarks>
public class PgParameter : DbParameter
{
    private PgDbType? _pgDbType;
    private string _name = "";
    private string _sourceColumn = "";

    public PgParameter() { }

    public PgParameter(object? value) => Value = value;

    public PgParameter(string? parameterName, object? value)
    {
        ParameterName = parameterName;
        Value = value;
    }

    public PgParameter(object? value, PgDbType type)
    {
        Value = value;
        PgDbType = type;
    }

    /// <summary>A string (or null) sent as the named type; without this overload <c>new PgParameter("x", PgDbType.Text)</c> would be ambiguous.</summary>
    public PgParameter(string? value, PgDbType type)
    {
        Value = value;
        PgDbType = type;
    }

    /// <summary>The PostgreSQL type to send the value as; when unset, the value's .NET type decides.</summary>
    public PgDbType PgDbType
    {
        get => _pgDbType ?? PgDbType.Unknown;
        set => _pgDbType = value;
    }

    /// <summary>
    /// The ADO.NET name of the type to send the value as; <see cref="DbType.Object"/> (what an unset type reads as)
    /// lets the value's .NET type decide again, as ADO.NET tools expect when they set it for a value of any type.
    /// </summary>
    public override DbType DbType
    {
        get => _pgDbType is { } t ? PgDbTypeMapping.ToDbType(t) : DbType.Object;
        set => _pgDbType = value == DbType.Object ? null : PgDbTypeMapping.FromDbType(value);
    }

    public override void ResetDbType() => _pgDbType = null;

    /// <summary>Only <see cref="ParameterDirection.Input"/> is supported.</summary>
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
                throw new NotSupportedException("PgWire supports input parameters only; read output values from the result set.");
        }
    }

    public override bool IsNullable { get; set; }

    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = value ?? "";
    }

    public override int Size { get; set; }

    [AllowNull]
    public override string SourceColumn
    {
        get => _sourceColumn;
        set => _sourceColumn = value ?? "";
    }

    public override bool SourceColumnNullMapping { get; set; }

    /// <summary>Which version of a DataRow's value a data adapter binds (Original for the WHERE clause of a generated UPDATE).</summary>
    public override DataRowVersion SourceVersion { get; set; } = DataRowVersion.Current;

    public override object? Value { get; set; }

    internal PgTypeCodec? ExplicitCodec(PgTypeRegistry registry) =>
        _pgDbType is { } t ? registry.ForDbType(t) : null;

    /// <summary>Resolves this parameter's codec and encoded length into the next command's parameters.</summary>
    internal virtual void Bind(BoundParameters target, PgTypeRegistry registry) =>
        target.Add(Value, ExplicitCodec(registry), registry);
}
