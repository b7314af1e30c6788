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

    public override DbType DbType
    {
        get => _pgDbType is { } t ? PgDbTypeMapping.ToDbType(t) : DbType.Object;
        set => _pgDbType = PgDbTypeMapping.FromDbType(value);
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

    public override object? Value { get; set; }

    internal PgTypeCodec? ExplicitCodec(PgTypeRegistry registry) =>
        _pgDbType is { } t ? registry.ForDbType(t) : null;

    /// <summary>Resolves this parameter's codec and encoded length into the next command's parameters.</summary>
    internal virtual void Bind(BoundParameters target, PgTypeRegistry registry) =>
        target.Add(Value, ExplicitCodec(registry), registry);
}

/// <summary>
/// A parameter holding a <typeparamref name="T"/> in <see cref="TypedValue"/>: a value type is encoded straight from
/// it when the command runs, without being boxed, so a command reused in a loop with a new value each time
/// allocates nothing for its parameters. <see cref="PgParameter.Value"/> reads and writes the same value.
/// </summary>
public sealed class PgParameter<T> : PgParameter
{
    /// <summary>True for a non-nullable value type: the kind of value that would otherwise be boxed.</summary>
    private static readonly bool EncodedWithoutBoxing = typeof(T).IsValueType && Nullable.GetUnderlyingType(typeof(T)) is null;

    public PgParameter() { }

    public PgParameter(T value) => TypedValue = value;

    public PgParameter(string? parameterName, T value)
    {
        ParameterName = parameterName;
        TypedValue = value;
    }

    /// <summary>The value sent; null (for a reference or nullable type) sends NULL.</summary>
    public T? TypedValue { get; set; }

    /// <summary>
    /// <see cref="TypedValue"/> as an object. Setting it takes a <typeparamref name="T"/> only; null or DBNull only when
    /// <typeparamref name="T"/> can hold null (use <c>PgParameter&lt;int?&gt;</c> to send NULL for an int).
    /// </summary>
    public override object? Value
    {
        get => TypedValue;
        set
        {
            if (value is null or DBNull)
            {
                if (default(T) is not null)
                    throw new InvalidCastException(
                        $"A PgParameter<{typeof(T).Name}> cannot hold NULL; use PgParameter<{typeof(T).Name}?> to send NULL.");
                TypedValue = default;
            }
            else if (value is T typed) TypedValue = typed;
            else
                throw new InvalidCastException(
                    $"A PgParameter<{typeof(T).Name}> holds {typeof(T).Name} values, not {value.GetType().Name}; set TypedValue, or use PgParameter.");
        }
    }

    internal override void Bind(BoundParameters target, PgTypeRegistry registry)
    {
        var explicitCodec = ExplicitCodec(registry);
#pragma warning disable CS8714 // Only taken for a non-nullable value type, which is never null.
        if (EncodedWithoutBoxing && (explicitCodec ?? registry.ForClrType(typeof(T))) is PgTypeCodec<T> codec)
            target.AddEncoded(TypedValue!, codec);
#pragma warning restore CS8714
        else
            target.Add(TypedValue, explicitCodec, registry);
    }
}
