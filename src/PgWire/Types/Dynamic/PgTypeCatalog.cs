namespace PgWire.Types.Dynamic;

/// <summary>
/// The types of one data source: the built-in ones, plus those whose OIDs differ per database (enums, composites,
/// domains, hstore and citext), loaded from pg_type on first need and replaced whole by a reload. Readers see an
/// immutable registry; a load swaps in a new one.
/// </summary>
internal sealed class PgTypeCatalog
{
    private readonly PgTypeRegistry _builtIn;
    private readonly IReadOnlyList<TypeMapping> _mappings;
    private volatile PgTypeRegistry _registry;
    private volatile bool _loaded;
    private int _version;

    public PgTypeCatalog(PgTypeRegistry builtIn, IReadOnlyList<TypeMapping> mappings)
    {
        _builtIn = builtIn;
        _mappings = mappings;
        _registry = builtIn;
    }

    public PgTypeRegistry Registry => _registry;

    /// <summary>Changes at every load and reload: a connection that sees a new value drops its cached statement descriptions.</summary>
    public int Version => Volatile.Read(ref _version);

    public bool IsLoaded => _loaded;

    /// <summary>With .NET types mapped, the catalog is loaded at the first open: parameters of those types need their OIDs.</summary>
    public bool LoadAtOpen => _mappings.Count > 0;

    /// <summary>Forget the loaded types (after CREATE TYPE, ALTER TYPE, CREATE EXTENSION): the next need loads them again.</summary>
    public void Reset()
    {
        _loaded = false;
        _registry = _builtIn;
        Interlocked.Increment(ref _version);
    }

    /// <summary>
    /// The catalog query: standalone composite types (not table row types), enums, domains, and the extension types
    /// PgWire has codecs for, with enum labels and composite attributes, in one round trip.
    /// </summary>
    public const string Query = """
        SELECT 't'::"char", t.oid, t.typname::text, n.nspname::text, t.typtype, t.typbasetype, t.typarray, NULL::text, 0::oid, 0
        FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND c.relkind = 'c') OR (t.typtype = 'b' AND t.typname IN ('hstore', 'citext')))
        UNION ALL
        SELECT 'e', e.enumtypid, '', '', 'e', 0, 0, e.enumlabel::text, 0, e.enumsortorder::int
        FROM pg_catalog.pg_enum e
        UNION ALL
        SELECT 'a', t.oid, '', '', 'c', 0, 0, a.attname::text, a.atttypid, a.attnum::int
        FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1 DESC, 2, 10
        """;

    /// <summary>Builds the registry from the catalog query's rows and makes it current.</summary>
    public void Apply(IReadOnlyList<DynamicTypeRow> rows)
    {
        var registry = _builtIn.Clone();
        var types = rows.Where(r => r.Kind == 't').ToList();
        var labels = rows.Where(r => r.Kind == 'e').GroupBy(r => r.Oid).ToDictionary(g => g.Key, g => g.Select(r => r.Member!).ToList());
        var attributes = rows.Where(r => r.Kind == 'a').GroupBy(r => r.Oid)
            .ToDictionary(g => g.Key, g => g.Select(r => new CompositeField(r.Member!, r.MemberType)).ToList());

        foreach (var type in types)
        {
            var mapping = FindMapping(type, types);
            PgTypeCodec? codec = type.TypType switch
            {
                'e' => CreateEnum(type, labels.GetValueOrDefault(type.Oid) ?? [], mapping),
                'c' => CreateComposite(type, attributes.GetValueOrDefault(type.Oid) ?? [], mapping, registry),
                'b' when type.Name == "hstore" => new HstoreCodec(type.Oid),
                'b' when type.Name == "citext" => new TextCodec(type.Oid, "citext"),
                _ => null,
            };
            if (codec is null) continue;
            registry.Add(codec, codec switch
            {
                HstoreCodec => PgDbType.Hstore,
                TextCodec => PgDbType.Citext,
                _ => null,
            });
            if (mapping is not null) registry.MapClrType(mapping.ClrType, codec);
            if (codec is HstoreCodec) registry.MapClrType(typeof(Dictionary<string, string?>), codec);

            // The type's array (mood[], inventory_item[], hstore[]), and the mapped .NET collections that go out as it.
            if (type.ArrayType == 0) continue;
            var array = Arrays.ArrayCodecFactory.Create(codec, type.ArrayType);
            registry.Add(array, null);
            if (mapping is not null)
            {
                registry.MapClrType(mapping.ClrType.MakeArrayType(), array);
                registry.MapClrType(typeof(List<>).MakeGenericType(mapping.ClrType), array);
                if (mapping.IsEnum)
                {
                    var nullable = typeof(Nullable<>).MakeGenericType(mapping.ClrType);
                    registry.MapClrType(nullable.MakeArrayType(), array);
                    registry.MapClrType(typeof(List<>).MakeGenericType(nullable), array);
                }
            }
        }
        // Domains read as their base type; their values arrive with the base type's OID anyway.
        foreach (var domain in types.Where(t => t.TypType == 'd'))
            if (registry.Find(domain.BaseType) is { } baseCodec)
                registry.AddAlias(domain.Oid, baseCodec);

        foreach (var mapping in _mappings)
            if (!types.Any(t => Matches(t, mapping.PgName)))
                throw new InvalidOperationException(
                    $"{mapping.ClrType.Name} is mapped to the PostgreSQL type \"{mapping.PgName}\", which does not exist in this database " +
                    "(or is a table's row type; map standalone composite types made with CREATE TYPE).");

        _registry = registry;
        _loaded = true;
        Interlocked.Increment(ref _version);
    }

    private TypeMapping? FindMapping(DynamicTypeRow type, List<DynamicTypeRow> all) =>
        _mappings.FirstOrDefault(m => Matches(type, m.PgName) &&
            // An unqualified name that exists in several schemas maps the one in public.
            (m.PgName.Contains('.') || all.Count(t => t.Name == type.Name) == 1 || type.Schema == "public"));

    private static bool Matches(DynamicTypeRow type, string pgName) =>
        pgName.Contains('.') ? pgName == $"{type.Schema}.{type.Name}" : pgName == type.Name;

    private static string DisplayName(DynamicTypeRow type) => type.Schema == "public" ? type.Name : $"{type.Schema}.{type.Name}";

    private static PgTypeCodec CreateEnum(DynamicTypeRow type, List<string> labels, TypeMapping? mapping)
    {
        if (mapping is null) return new EnumCodec(type.Oid, DisplayName(type), labels);
        if (!mapping.IsEnum)
            throw new InvalidOperationException($"{mapping.ClrType.Name} is mapped as a composite, but {DisplayName(type)} is an enum.");
        var codecType = typeof(EnumCodec<>).MakeGenericType(mapping.ClrType);
        try
        {
            return (PgTypeCodec)Activator.CreateInstance(codecType, type.Oid, DisplayName(type), (IReadOnlyList<string>)labels, mapping.Translate)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static PgTypeCodec CreateComposite(DynamicTypeRow type, List<CompositeField> fields, TypeMapping? mapping, PgTypeRegistry registry)
    {
        if (mapping is null) return new CompositeCodec(type.Oid, DisplayName(type), fields, registry);
        if (mapping.IsEnum)
            throw new InvalidOperationException($"{mapping.ClrType.Name} is mapped as an enum, but {DisplayName(type)} is a composite type.");
        var codecType = typeof(MappedCompositeCodec<>).MakeGenericType(mapping.ClrType);
        try
        {
            return (PgTypeCodec)Activator.CreateInstance(codecType, type.Oid, DisplayName(type), (IReadOnlyList<CompositeField>)fields, registry, mapping.Translate)!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
