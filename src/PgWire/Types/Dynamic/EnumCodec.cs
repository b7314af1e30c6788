using System.Text;

namespace PgWire.Types.Dynamic;

/// <summary>A user-defined enum type read and written as its label (the binary form is the label's text).</summary>
internal class EnumCodec(uint oid, string dataTypeName, IReadOnlyList<string> labels) : PgTypeCodec<string>(oid, dataTypeName)
{
    public IReadOnlyList<string> Labels { get; } = labels;

    public override string Read(ReadOnlySpan<byte> data, bool binary) => Encoding.UTF8.GetString(data);

    public override int GetLength(string value) => Encoding.UTF8.GetByteCount(value);

    public override void Write(string value, Span<byte> destination) => Encoding.UTF8.GetBytes(value, destination);

    protected override string ConvertFrom(object value) => value switch
    {
        string s => s,
        Enum e => ConvertEnum(e),
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    };

    protected virtual string ConvertEnum(Enum value) => throw Conversion.CannotWrite(value, DataTypeName);
}

/// <summary>An enum type mapped to the .NET enum <typeparamref name="TEnum"/> on its data source: labels to members and back.</summary>
internal sealed class EnumCodec<TEnum> : EnumCodec, IPgReader<TEnum> where TEnum : struct, Enum
{
    private readonly Dictionary<string, TEnum> _byLabel;
    private readonly Dictionary<TEnum, string> _byMember;

    public EnumCodec(uint oid, string dataTypeName, IReadOnlyList<string> labels, Func<string, string> translate)
        : base(oid, dataTypeName, labels)
    {
        _byLabel = new Dictionary<string, TEnum>(StringComparer.Ordinal);
        _byMember = new Dictionary<TEnum, string>();
        foreach (var member in Enum.GetValues<TEnum>())
        {
            string name = Enum.GetName(member)!;
            var field = typeof(TEnum).GetField(name)!;
            string label = field.GetCustomAttributes(typeof(PgNameAttribute), false) is [PgNameAttribute a, ..] ? a.Name : translate(name);
            _byMember[member] = label;
            _byLabel[label] = member;
        }
        var missing = labels.Where(l => !_byLabel.ContainsKey(l)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"The .NET enum {typeof(TEnum).Name} mapped to {dataTypeName} has no member for the label(s) {string.Join(", ", missing)}; " +
                "add members, or name them with [PgName(\"label\")].");
    }

    public override Type DefaultType => typeof(TEnum);

    public override object ReadObject(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<TEnum>)this).Read(data, binary);

    TEnum IPgReader<TEnum>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        string label = Read(data, binary);
        return _byLabel.TryGetValue(label, out var member)
            ? member
            : throw new PgConversionException($"The {DataTypeName} label '{label}' has no member in {typeof(TEnum).Name}.", PgErrorCodes.InvalidTextRepresentation);
    }

    protected override string ConvertEnum(Enum value) =>
        value is TEnum member && _byMember.TryGetValue(member, out var label)
            ? label
            : throw Conversion.CannotWrite(value, DataTypeName);
}
