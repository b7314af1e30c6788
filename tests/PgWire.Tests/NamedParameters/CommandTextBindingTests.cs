using PgWire.Connection;
using PgWire.Sql;
using PgWire.Types;

namespace PgWire.Tests.NamedParameters;

/// <summary>
/// Matching a command text's named placeholders with the command's parameters (<see cref="CommandTextBinding"/>):
/// what is bound to each $n, what is refused before anything is bound, and that a reused command matches nothing again.
/// No server: the request a command fills is what would be sent.
/// </summary>
public sealed class CommandTextBindingTests
{
    private static PgParameterCollection Parameters(params (string Name, object? Value)[] parameters)
    {
        var collection = new PgParameterCollection();
        foreach (var (name, value) in parameters) collection.Add(new PgParameter(name, value));
        return collection;
    }

    /// <summary>Fills a request as a command with <paramref name="sql"/> and <paramref name="parameters"/> would.</summary>
    private static CommandRequest Fill(string sql, PgParameterCollection parameters, CommandTextBinding? binding = null)
    {
        var request = new CommandRequest();
        (binding ?? new CommandTextBinding(ParsedSqlCache.Commands)).Fill(request, sql, parameters, PgTypeRegistry.Default);
        return request;
    }

    private static CommandTextBinding Resolve(string sql, PgParameterCollection parameters)
    {
        var binding = new CommandTextBinding(ParsedSqlCache.Commands);
        binding.Resolve(sql, parameters);
        return binding;
    }

    [Fact]
    public void Each_name_is_bound_once_to_the_parameter_of_that_name_whatever_the_order_of_the_parameters()
    {
        var request = Fill("SELECT @b, @a, @b", Parameters(("a", 1), ("b", 2)));

        Assert.Equal("SELECT $1, $2, $1", request.Sql(0));
        Assert.Equal(2, request.Parameters(0).Count);
        Assert.Equal([PgOids.Int4, PgOids.Int4], request.Parameters(0).Oids.ToArray());
        Assert.Equal(4, request.Parameters(0).GetLength(0));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("@id")]
    [InlineData(":id")]
    [InlineData("ID")]
    public void A_parameter_name_matches_with_or_without_its_prefix_and_ignoring_case(string parameterName)
    {
        var request = Fill("SELECT * FROM t WHERE id = @id OR id = :Id", Parameters((parameterName, 7)));

        Assert.Equal("SELECT * FROM t WHERE id = $1 OR id = $1", request.Sql(0));
        Assert.Equal(1, request.Parameters(0).Count);
    }

    [Fact]
    public void A_parameter_the_text_does_not_use_is_not_sent()
    {
        var request = Fill("SELECT @used", Parameters(("unused", "x"), ("used", 1), ("other", 2L)));

        Assert.Equal(1, request.Parameters(0).Count);
        Assert.Equal(PgOids.Int4, request.Parameters(0).Oids[0]);
    }

    [Fact]
    public void A_text_without_placeholders_sends_no_named_parameter()
    {
        var request = Fill("SELECT 1", Parameters(("a", 1)));

        Assert.Equal(0, request.Parameters(0).Count);
    }

    [Fact]
    public void Positional_placeholders_bind_the_parameters_in_order_whatever_their_names()
    {
        var request = Fill("SELECT $1, $2", Parameters(("second", 1), ("first", "x")));

        Assert.Equal("SELECT $1, $2", request.Sql(0));
        Assert.Equal([PgOids.Int4, PgOids.Unspecified], request.Parameters(0).Oids.ToArray());
    }

    [Fact]
    public void Several_statements_each_bind_the_parameters_they_use()
    {
        var request = Fill("INSERT INTO t VALUES (@a); SELECT @b, @a", Parameters(("b", 2L), ("a", 1)));

        Assert.Equal(2, request.Count);
        Assert.Equal("INSERT INTO t VALUES ($1)", request.Sql(0));
        Assert.Equal([PgOids.Int4], request.Parameters(0).Oids.ToArray());
        Assert.Equal("SELECT $1, $2", request.Sql(1));
        Assert.Equal([PgOids.Int8, PgOids.Int4], request.Parameters(1).Oids.ToArray());
    }

    // ---- Refused before anything is bound ----

    [Fact]
    public void A_placeholder_with_no_parameter_of_its_name_is_an_error_naming_it_and_the_parameters()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve("SELECT * FROM t WHERE id = @idd", Parameters(("id", 1))));

        Assert.Contains("@idd", e.Message);
        Assert.Contains("'id'", e.Message);
    }

    [Fact]
    public void A_placeholder_in_a_command_without_parameters_is_an_error_that_points_to_the_abs_operator()
    {
        // Sent as it is, "WHERE id = @id" would compare id with its own absolute value and return every row with a
        // non-negative id: a forgotten parameter must not run.
        var e = Assert.Throws<ArgumentException>(() => Resolve("SELECT * FROM t WHERE id = @id", Parameters()));

        Assert.Contains("@id", e.Message);
        Assert.Contains("no parameters", e.Message);
        Assert.Contains("@ id", e.Message);
    }

    [Fact]
    public void A_parameter_without_a_name_in_a_command_that_binds_by_name_is_an_error()
    {
        var parameters = Parameters(("a", 1));
        parameters.Add(new PgParameter(2));

        var e = Assert.Throws<ArgumentException>(() => Resolve("SELECT @a", parameters));

        Assert.Contains("Parameter 2", e.Message);
    }

    [Fact]
    public void Two_parameters_of_one_name_are_an_error_when_the_text_uses_it()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve("SELECT @a", Parameters(("a", 1), ("A", 2))));

        Assert.Contains("Parameters 1 and 2", e.Message);
    }

    [Fact]
    public void Mixing_positional_and_named_placeholders_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve("SELECT $1, @a", Parameters(("a", 1))));

        Assert.Contains("$1", e.Message);
        Assert.Contains("@a", e.Message);
    }

    // ---- A reused command ----

    [Fact]
    public void A_reused_command_whose_text_and_names_did_not_change_resolves_without_allocating()
    {
        const string sql = "SELECT id, name FROM t WHERE id = @id AND name <> :name";
        var parameters = Parameters(("id", 1), ("name", "x"));
        var binding = Resolve(sql, parameters);
        binding.Resolve(sql, parameters);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) binding.Resolve(sql, parameters);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Filling_the_request_of_a_reused_command_with_named_placeholders_allocates_nothing()
    {
        const string sql = "SELECT id, name FROM t WHERE id = @id OR parent = @id";
        var id = new PgParameter<int>("id", 1);
        var parameters = new PgParameterCollection { id };
        var binding = new CommandTextBinding(ParsedSqlCache.Commands);
        var request = new CommandRequest();
        binding.Fill(request, sql, parameters, PgTypeRegistry.Default);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            request.Clear(System.Data.CommandBehavior.Default, 30);
            id.TypedValue = i;
            binding.Fill(request, sql, parameters, PgTypeRegistry.Default);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal("SELECT id, name FROM t WHERE id = $1 OR parent = $1", request.Sql(0));
    }

    [Fact]
    public void A_renamed_parameter_is_matched_again()
    {
        var parameters = Parameters(("a", 1), ("b", 2L));
        var binding = new CommandTextBinding(ParsedSqlCache.Commands);
        Assert.Equal([PgOids.Int4], Fill("SELECT @a", parameters, binding).Parameters(0).Oids.ToArray());

        parameters[0].ParameterName = "c";
        parameters[1].ParameterName = "a";

        Assert.Equal([PgOids.Int8], Fill("SELECT @a", parameters, binding).Parameters(0).Oids.ToArray());
    }

    [Fact]
    public void A_changed_text_is_read_again()
    {
        var parameters = Parameters(("a", 1), ("b", 2L));
        var binding = new CommandTextBinding(ParsedSqlCache.Commands);
        Fill("SELECT @a", parameters, binding);

        var request = Fill("SELECT @b", parameters, binding);

        Assert.Equal("SELECT $1", request.Sql(0));
        Assert.Equal([PgOids.Int8], request.Parameters(0).Oids.ToArray());
    }

    [Fact]
    public void A_parameter_added_after_a_failed_run_is_found()
    {
        var parameters = Parameters(("a", 1));
        var binding = new CommandTextBinding(ParsedSqlCache.Commands);
        Assert.Throws<ArgumentException>(() => binding.Resolve("SELECT @a, @b", parameters));

        parameters.Add(new PgParameter("b", 2));

        Assert.Equal(2, Fill("SELECT @a, @b", parameters, binding).Parameters(0).Count);
    }
}
