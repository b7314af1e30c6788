using System.Collections.Concurrent;

namespace PgWire.Types;

/// <summary>
/// The codecs by type OID, and the PostgreSQL type a .NET parameter value is sent as.
/// A type the registry does not know is read as its text.
/// </summary>
internal sealed class PgTypeRegistry
{
    /// <summary>A string parameter goes untyped (OID 0) in text format, so the server infers its type from context.</summary>
    public static readonly TextCodec UntypedText = new(PgOids.Unspecified, "unknown", binaryResults: false, parameterFormat: 0);

    // Declared after UntypedText: static fields initialize in order, and the built-in table uses it.
    public static readonly PgTypeRegistry Default = CreateBuiltIn();

    private readonly Dictionary<uint, PgTypeCodec> _byOid = new();
    private readonly Dictionary<Type, PgTypeCodec> _byClrType = new();
    private readonly Dictionary<PgDbType, PgTypeCodec> _byDbType = new();
    private readonly ConcurrentDictionary<uint, PgTypeCodec> _unknown = new();
    private readonly List<Func<object, PgTypeCodec?>> _resolvers = new();

    private static PgTypeRegistry CreateBuiltIn()
    {
        var r = new PgTypeRegistry();
        r.Add(new Int2Codec(), PgDbType.Smallint, typeof(short), typeof(byte), typeof(sbyte));
        r.Add(new Int4Codec(), PgDbType.Integer, typeof(int), typeof(ushort));
        r.Add(new Int8Codec(), PgDbType.Bigint, typeof(long));
        r.Add(new BoolCodec(), PgDbType.Boolean, typeof(bool));
        r.Add(new Float4Codec(), PgDbType.Real, typeof(float));
        r.Add(new Float8Codec(), PgDbType.Double, typeof(double));
        r.Add(new NumericCodec(), PgDbType.Numeric, typeof(decimal), typeof(ulong));
        r.Add(new OidCodec(), PgDbType.Oid, typeof(uint));
        r.Add(new ByteaCodec(), PgDbType.Bytea, typeof(byte[]), typeof(ReadOnlyMemory<byte>), typeof(Memory<byte>), typeof(ArraySegment<byte>));
        r.Add(new CharCodec(), PgDbType.InternalChar);
        r.Add(new TextCodec(PgOids.Text, "text"), PgDbType.Text);
        r.Add(new TextCodec(PgOids.Varchar, "character varying"), PgDbType.Varchar);
        r.Add(new TextCodec(PgOids.Bpchar, "character"), PgDbType.Char);
        r.Add(new TextCodec(PgOids.Name, "name"), PgDbType.Name);
        r.Add(new TextCodec(PgOids.Unknown, "unknown"), null);
        r.Add(new VoidCodec(), null);
        r._byDbType[PgDbType.Unknown] = UntypedText;
        foreach (var t in new[] { typeof(string), typeof(char), typeof(char[]), typeof(ReadOnlyMemory<char>) })
            r._byClrType[t] = UntypedText;

        // Each family of types registers itself; arrays and ranges last, since they are built over the others.
        DateTimeTypes.Register(r);
        MiscTypes.Register(r);
        ArrayTypes.Register(r);
        RangeTypes.Register(r);
        return r;
    }

    /// <summary>
    /// Registers a codec for its OID, optionally as the codec a <see cref="PgDbType"/> names and as the one values of
    /// the given .NET types are sent with. A codec registered later for the same OID or .NET type replaces the earlier one.
    /// </summary>
    public PgTypeCodec Add(PgTypeCodec codec, PgDbType? dbType, params Type[] clrTypes)
    {
        _byOid[codec.Oid] = codec;
        if (dbType is { } t) _byDbType[t] = codec;
        foreach (var type in clrTypes) _byClrType[type] = codec;
        return codec;
    }

    public bool IsKnown(uint oid) => _byOid.ContainsKey(oid);

    /// <summary>The codec for a result column's type; a type PgWire does not know reads as text.</summary>
    public PgTypeCodec ForOid(uint oid) =>
        _byOid.TryGetValue(oid, out var codec)
            ? codec
            : _unknown.GetOrAdd(oid, static o => new TextCodec(o, $"type with OID {o}", binaryResults: false));

    /// <summary>
    /// Adds a rule that picks a codec from a parameter value when its exact .NET type is not registered:
    /// for values whose PostgreSQL type depends on the value (DateTime by its Kind) or on a generic shape (int[], List&lt;T&gt;).
    /// </summary>
    public void AddResolver(Func<object, PgTypeCodec?> resolver) => _resolvers.Add(resolver);

    /// <summary>The codec registered for an OID, or null (no text fallback).</summary>
    public PgTypeCodec? Find(uint oid) => _byOid.GetValueOrDefault(oid);

    /// <summary>The codec a parameter value is sent with when its type is not named, or null when none fits.</summary>
    /// <summary>The codec registered for exactly <paramref name="type"/>, without the resolvers that need a value.</summary>
    public PgTypeCodec? ForClrType(Type type) => _byClrType.GetValueOrDefault(type);

    public PgTypeCodec? ForValue(object value)
    {
        if (_byClrType.TryGetValue(value.GetType(), out var codec)) return codec;
        foreach (var resolver in _resolvers)
        {
            codec = resolver(value);
            if (codec is not null) return codec;
        }
        return null;
    }

    /// <summary>A copy to extend with the types of one data source (enums, composites, extension types).</summary>
    public PgTypeRegistry Clone()
    {
        var copy = new PgTypeRegistry();
        foreach (var (k, v) in _byOid) copy._byOid[k] = v;
        foreach (var (k, v) in _byClrType) copy._byClrType[k] = v;
        foreach (var (k, v) in _byDbType) copy._byDbType[k] = v;
        copy._resolvers.AddRange(_resolvers);
        return copy;
    }

    /// <summary>Reads values of <paramref name="oid"/> (a domain) with an existing codec (its base type's).</summary>
    public void AddAlias(uint oid, PgTypeCodec codec) => _byOid[oid] = codec;

    /// <summary>Makes values of a .NET type go out with <paramref name="codec"/>.</summary>
    public void MapClrType(Type type, PgTypeCodec codec) => _byClrType[type] = codec;

    /// <summary>All registered codecs (for families built over others, such as arrays).</summary>
    public IEnumerable<PgTypeCodec> Codecs => _byOid.Values;

    public PgTypeCodec ForDbType(PgDbType type) =>
        _byDbType.TryGetValue(type, out var codec)
            ? codec
            : throw new ArgumentException(type is PgDbType.Hstore or PgDbType.Citext
                ? $"PgDbType.{type} names an extension type this database does not have (CREATE EXTENSION {type.ToString().ToLowerInvariant()})."
                : $"PgDbType.{type} is not supported.", nameof(type));
}
