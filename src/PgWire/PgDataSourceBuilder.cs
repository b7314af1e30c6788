using PgWire.Connection;
using PgWire.Types;
using PgWire.Types.Dynamic;

namespace PgWire;

/// <summary>
/// Configures a <see cref="PgDataSource"/>: its connection string and the .NET types mapped to the database's
/// enums and composite types.
/// </summary>
public sealed class PgDataSourceBuilder
{
    private readonly List<TypeMapping> _mappings = new();

    public PgDataSourceBuilder(string? connectionString = null)
    {
        ConnectionStringBuilder = new PgConnectionStringBuilder(connectionString);
    }

    public PgConnectionStringBuilder ConnectionStringBuilder { get; }

    /// <summary>
    /// Maps a .NET enum to a PostgreSQL enum type: members to labels by snake_case name (HappyDay -> happy_day) unless a
    /// member carries [PgName("label")]. <paramref name="pgName"/> defaults to the enum's name in snake_case; it may be
    /// schema-qualified.
    /// </summary>
    public PgDataSourceBuilder MapEnum<TEnum>(string? pgName = null) where TEnum : struct, Enum
    {
        _mappings.Add(new TypeMapping(typeof(TEnum), pgName ?? NameTranslation.ToSnakeCase(typeof(TEnum).Name), true, NameTranslation.ToSnakeCase));
        return this;
    }

    /// <summary>
    /// Maps a .NET class or record to a composite type made with CREATE TYPE ... AS (...): fields by snake_case member
    /// name unless a member carries [PgName]; read through a constructor naming every field (a record's) or settable
    /// members. Values of <typeparamref name="T"/> are then sent as that type.
    /// </summary>
    public PgDataSourceBuilder MapComposite<T>(string? pgName = null) where T : class
    {
        _mappings.Add(new TypeMapping(typeof(T), pgName ?? NameTranslation.ToSnakeCase(typeof(T).Name), false, NameTranslation.ToSnakeCase));
        return this;
    }

    public PgDataSource Build()
    {
        string connectionString = ConnectionStringBuilder.ConnectionString;
        var settings = ConnectorSettings.From(ConnectionStringBuilder);
        return new PgDataSource(connectionString, settings, new PgTypeCatalog(PgTypeRegistry.Default, _mappings.ToList()));
    }
}
