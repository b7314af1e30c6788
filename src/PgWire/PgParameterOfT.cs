using PgWire.Connection;
using PgWire.Types;

namespace PgWire;

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
                        $"A PgParameter<{TypeNames.Of(typeof(T))}> cannot hold NULL; use PgParameter<{TypeNames.Of(typeof(T))}?> to send NULL.");
                TypedValue = default;
            }
            else if (value is T typed) TypedValue = typed;
            else
                throw new InvalidCastException(
                    $"A PgParameter<{TypeNames.Of(typeof(T))}> holds {TypeNames.Of(typeof(T))} values, not {TypeNames.Of(value.GetType())}; set TypedValue, or use PgParameter.");
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
