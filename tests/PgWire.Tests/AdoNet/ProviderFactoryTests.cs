using System.Data;
using System.Data.Common;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.AdoNet;

/// <summary>PgFactory: every ADO.NET object through the factory, and DbProviderFactories registration.</summary>
[Collection("Database")]
public sealed class ProviderFactoryTests(DatabaseFixture db)
{
    [Fact]
    public void The_factory_creates_each_PgWire_object()
    {
        DbProviderFactory factory = PgFactory.Instance;

        Assert.IsType<PgConnection>(factory.CreateConnection());
        Assert.IsType<PgCommand>(factory.CreateCommand());
        Assert.IsType<PgParameter>(factory.CreateParameter());
        Assert.IsType<PgConnectionStringBuilder>(factory.CreateConnectionStringBuilder());
        Assert.True(factory.CanCreateBatch);
        Assert.IsType<PgBatch>(factory.CreateBatch());
        Assert.IsType<PgBatchCommand>(factory.CreateBatchCommand());
        Assert.True(factory.CanCreateCommandBuilder);
        Assert.IsType<PgCommandBuilder>(factory.CreateCommandBuilder());
        Assert.True(factory.CanCreateDataAdapter);
        Assert.IsType<PgDataAdapter>(factory.CreateDataAdapter());
        Assert.False(factory.CanCreateDataSourceEnumerator);
        Assert.Null(factory.CreateDataSourceEnumerator());
    }

    [Fact]
    public async Task CreateDataSource_makes_a_PgDataSource_whose_connections_run_queries()
    {
        await using var dataSource = PgFactory.Instance.CreateDataSource(db.ConnectionString);

        Assert.IsType<PgDataSource>(dataSource);
        Assert.Equal(db.ConnectionString, dataSource.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT 40 + 2");
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }

    [Fact]
    public void A_connection_returns_the_factory_and_DbProviderFactories_finds_it_by_connection()
    {
        using var conn = new PgConnection(db.ConnectionString);

        Assert.Same(PgFactory.Instance, DbProviderFactories.GetFactory(conn));
    }

    [Fact]
    public void The_factory_registered_by_instance_and_by_type_is_found_by_name()
    {
        DbProviderFactories.RegisterFactory("PgWire", PgFactory.Instance);
        Assert.Same(PgFactory.Instance, DbProviderFactories.GetFactory("PgWire"));

        // By type, DbProviderFactories reads the public static Instance field.
        DbProviderFactories.RegisterFactory("PgWire.ByType", typeof(PgFactory));
        Assert.Same(PgFactory.Instance, DbProviderFactories.GetFactory("PgWire.ByType"));
        Assert.Contains("PgWire", DbProviderFactories.GetProviderInvariantNames());
    }

    [Fact]
    public async Task Code_written_against_the_factory_alone_runs_a_parameterised_query()
    {
        var factory = DbProviderFactories.GetFactory(new PgConnection())!;
        await using var conn = factory.CreateConnection()!;
        var builder = factory.CreateConnectionStringBuilder()!;
        builder.ConnectionString = db.ConnectionString;
        conn.ConnectionString = builder.ConnectionString;
        await conn.OpenAsync();
        await using var cmd = factory.CreateCommand()!;
        cmd.Connection = conn;
        cmd.CommandText = "SELECT $1 * 2";
        var parameter = factory.CreateParameter()!;
        parameter.DbType = DbType.Int32;
        parameter.Value = 21;
        cmd.Parameters.Add(parameter);

        Assert.Equal(42, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public void A_data_adapter_from_the_factory_fills_a_table()
    {
        var factory = PgFactory.Instance;
        using var conn = factory.CreateConnection()!;
        conn.ConnectionString = db.ConnectionString;
        using var adapter = factory.CreateDataAdapter()!;
        var select = factory.CreateCommand()!;
        select.Connection = conn;
        select.CommandText = "SELECT g FROM generate_series(1, 5) g";
        adapter.SelectCommand = select;
        var table = new DataTable();

        adapter.Fill(table);

        Assert.Equal([1, 2, 3, 4, 5], table.Rows.Cast<DataRow>().Select(r => (int)r[0]));
    }
}
