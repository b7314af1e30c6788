using System.Reflection;

namespace PgWire.Types.Dynamic;

/// <summary>
/// A composite type mapped to the .NET class or record <typeparamref name="T"/>: fields by name (snake_case of the
/// member's name, or [PgName]), through a constructor whose parameters name every field, or settable members.
/// </summary>
internal sealed class MappedCompositeCodec<T> : CompositeCodec, IPgReader<T> where T : notnull
{
    private readonly ConstructorInfo? _constructor;
    private readonly MemberInfo?[] _members;
    private readonly Type[] _fieldTypes;

    public MappedCompositeCodec(uint oid, string dataTypeName, IReadOnlyList<CompositeField> fields, PgTypeRegistry registry,
        Func<string, string> translate)
        : base(oid, dataTypeName, fields, registry)
    {
        string PgName(MemberInfo m) => m.GetCustomAttribute<PgNameAttribute>()?.Name ?? translate(m.Name);
        var readable = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead).Cast<MemberInfo>()
            .Concat(typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance)).ToList();
        _members = fields.Select(f => readable.FirstOrDefault(m => PgName(m) == f.Name)).ToArray();
        for (int i = 0; i < fields.Count; i++)
            if (_members[i] is null)
                throw new InvalidOperationException(
                    $"{typeof(T).Name} mapped to {dataTypeName} has no public member for the field \"{fields[i].Name}\"; add one, or name it with [PgName].");
        _fieldTypes = _members.Select(m => m is PropertyInfo p ? p.PropertyType : ((FieldInfo)m!).FieldType).ToArray();

        // A record's primary constructor, or any constructor naming every field.
        _constructor = typeof(T).GetConstructors()
            .Where(c => c.GetParameters().Length == fields.Count)
            .FirstOrDefault(c => c.GetParameters().Select(p => p.GetCustomAttribute<PgNameAttribute>()?.Name ?? translate(Capitalize(p.Name!)))
                .SequenceEqual(fields.Select(f => f.Name)));
        if (_constructor is null && typeof(T).GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException(
                $"{typeof(T).Name} mapped to {dataTypeName} needs a constructor whose parameters are the fields in order, or a parameterless one.");
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    public override Type DefaultType => typeof(T);

    public override object ReadObject(ReadOnlySpan<byte> data, bool binary) => ((IPgReader<T>)this).Read(data, binary);

    T IPgReader<T>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        var values = new object?[Fields.Count];
        ForEachField(data, binary, (i, codec, bytes, isNull) => values[i] = isNull ? null : FieldReader.Read(codec, _fieldTypes[i], bytes, binary));
        if (_constructor is not null) return (T)_constructor.Invoke(values);
        var instance = Activator.CreateInstance<T>();
        object boxed = instance;
        for (int i = 0; i < values.Length; i++)
        {
            if (_members[i] is PropertyInfo p) p.SetValue(boxed, values[i]);
            else ((FieldInfo)_members[i]!).SetValue(boxed, values[i]);
        }
        return (T)boxed;
    }

    protected override object?[] ConvertFrom(object value) =>
        value is T t
            ? _members.Select(m => m is PropertyInfo p ? p.GetValue(t) : ((FieldInfo)m!).GetValue(t)).ToArray()
            : base.ConvertFrom(value);
}
