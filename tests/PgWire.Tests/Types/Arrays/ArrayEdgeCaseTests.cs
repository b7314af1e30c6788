using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Arrays;

[Collection("Database")]
public sealed class ArrayEdgeCaseTests(DatabaseFixture db)
{
    [Fact]
    public async Task An_integer_array_reads_as_int_array_by_default_with_its_type_name()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT ARRAY[1, -2, 2147483647]", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(int[]), reader.GetFieldType(0));
        Assert.Equal("integer[]", reader.GetDataTypeName(0));
        Assert.Equal(new[] { 1, -2, int.MaxValue }, reader.GetFieldValue<int[]>(0));
        Assert.Equal(new[] { 1, -2, int.MaxValue }, Assert.IsType<int[]>(reader.GetValue(0)));
        Assert.Equal(new List<int> { 1, -2, int.MaxValue }, reader.GetFieldValue<List<int>>(0));
        Assert.Equal(new[] { 1, -2, int.MaxValue }, reader.GetFieldValue<IReadOnlyList<int>>(0));
        Assert.Equal(new[] { 1, -2, int.MaxValue }, reader.GetFieldValue<IEnumerable<int>>(0));
    }

    [Fact]
    public async Task An_array_with_NULLs_reads_as_nullable_elements_and_GetValue_gives_a_nullable_array()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT ARRAY[1, NULL, 3], ARRAY['a', NULL]::text[]", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(new int?[] { 1, null, 3 }, reader.GetFieldValue<int?[]>(0));
        Assert.Equal(new List<int?> { 1, null, 3 }, reader.GetFieldValue<List<int?>>(0));
        Assert.Equal(new int?[] { 1, null, 3 }, Assert.IsType<int?[]>(reader.GetValue(0)));
        Assert.Equal(new[] { "a", null }, reader.GetFieldValue<string?[]>(1));
        Assert.Equal(new[] { "a", null }, Assert.IsType<string[]>(reader.GetValue(1)));
    }

    [Fact]
    public async Task Reading_an_int_array_holding_NULL_as_int_array_is_a_clear_error_and_the_connection_stays_usable()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(
            async () => await conn.QueryScalarAsync<int[]>("SELECT ARRAY[1, NULL]::int[] AS numbers"));
        Assert.Contains("\"numbers\"", e.Message);
        Assert.Contains("NULL element", e.Message);
        Assert.Contains("Int32?[]", e.Message);
        Assert.Equal(PgErrorCodes.NullValueNotAllowed, e.SqlState);
        Assert.Equal(new[] { 4, 5 }, await conn.QueryScalarAsync<int[]>("SELECT ARRAY[4, 5]"));
    }

    [Fact]
    public async Task A_two_dimensional_array_reads_as_a_rectangular_array_and_round_trips()
    {
        await using var conn = await db.OpenAsync();
        var matrix = await conn.QueryScalarAsync<int[,]>("SELECT ARRAY[[1, 2, 3], [4, 5, 6]]");
        Assert.Equal(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }, matrix);
        var rows = await conn.QueryAsync("SELECT ARRAY[[1, 2], [3, 4]]");
        Assert.Equal(new[,] { { 1, 2 }, { 3, 4 } }, Assert.IsType<int[,]>(rows[0][0]));

        Assert.Equal("{{1,2,3},{4,5,6}}", await conn.QueryScalarAsync<string>("SELECT $1::text", matrix));
        Assert.Equal(2, await conn.QueryScalarAsync<int>("SELECT array_ndims($1)", matrix));
        var nullable = new int?[,] { { 1, null }, { null, 4 } };
        Assert.Equal("{{1,NULL},{NULL,4}}", await conn.QueryScalarAsync<string>("SELECT $1::text", nullable));
        Assert.Equal(nullable, await conn.QueryScalarAsync<int?[,]>("SELECT $1", nullable));
    }

    [Fact]
    public async Task Reading_a_two_dimensional_array_as_one_dimension_names_the_shape_to_use()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(
            async () => await conn.QueryScalarAsync<int[]>("SELECT ARRAY[[1, 2], [3, 4]]"));
        Assert.Contains("Int32[,]", e.Message);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Three_dimensions_read_and_write()
    {
        await using var conn = await db.OpenAsync();
        var cube = await conn.QueryScalarAsync<long[,,]>("SELECT '{{{1,2},{3,4}},{{5,6},{7,8}}}'::int8[]");
        Assert.Equal(new long[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } }, cube);
        Assert.Equal("{{{1,2},{3,4}},{{5,6},{7,8}}}", await conn.QueryScalarAsync<string>("SELECT $1::text", cube));
        var rows = await conn.QueryAsync("SELECT '{{{{1}}}}'::int[]");
        Assert.Equal(4, Assert.IsAssignableFrom<Array>(rows[0][0]).Rank);
    }

    [Fact]
    public async Task An_array_with_lower_bound_0_reads_its_elements_in_order_and_the_bound_is_dropped()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal(new[] { 1, 2, 3 }, await conn.QueryScalarAsync<int[]>("SELECT '[0:2]={1,2,3}'::int[]"));
        Assert.Equal(new[] { "a", "b" }, await conn.QueryScalarAsync<string[]>("SELECT '[-5:-4]={a,b}'::text[]"));
        Assert.Equal(new[,] { { 1, 2 }, { 3, 4 } }, await conn.QueryScalarAsync<int[,]>("SELECT '[0:1][3:4]={{1,2},{3,4}}'::int[]"));
        // Sent back, a .NET array starts at PostgreSQL's default lower bound, 1.
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT array_lower($1, 1)", new[] { 1, 2, 3 }));
    }

    [Fact]
    public async Task An_empty_array_reads_as_an_empty_array_of_any_shape_and_is_sent_as_an_empty_array()
    {
        await using var conn = await db.OpenAsync();
        Assert.Empty((await conn.QueryScalarAsync<int[]>("SELECT '{}'::int[]"))!);
        Assert.Empty((await conn.QueryScalarAsync<List<string>>("SELECT '{}'::text[]"))!);
        Assert.Empty((await conn.QueryScalarAsync<int[,]>("SELECT '{}'::int[]"))!);
        var rows = await conn.QueryAsync("SELECT '{}'::int[]");
        Assert.Empty(Assert.IsType<int[]>(rows[0][0]));

        Assert.Equal("{}", await conn.QueryScalarAsync<string>("SELECT $1::text", Array.Empty<int>()));
        Assert.Equal("{}", await conn.QueryScalarAsync<string>("SELECT $1::text", new List<string>()));
        Assert.Equal("{}", await conn.QueryScalarAsync<string>("SELECT $1::text", new int[0, 3]));
        Assert.Equal(0, await conn.QueryScalarAsync<int>("SELECT cardinality($1)", [Array.Empty<string>()]));
    }

    [Fact]
    public async Task A_NULL_array_column_is_null()
    {
        await using var conn = await db.OpenAsync();
        Assert.Null(await conn.QueryScalarAsync<int[]>("SELECT NULL::int[]"));
        var rows = await conn.QueryAsync("SELECT NULL::text[]");
        Assert.Null(rows[0][0]);
    }

    [Theory]
    [InlineData(new[] { 1, 2 }, "integer[]")]
    [InlineData(new long[] { 1, 2 }, "bigint[]")]
    [InlineData(new short[] { 1, 2 }, "smallint[]")]
    [InlineData(new sbyte[] { 1, 2 }, "smallint[]")]
    [InlineData(new ushort[] { 1, 2 }, "integer[]")]
    [InlineData(new uint[] { 1, 2 }, "oid[]")]
    [InlineData(new ulong[] { 1, 2 }, "numeric[]")]
    [InlineData(new[] { true, false }, "boolean[]")]
    [InlineData(new[] { 1.5f }, "real[]")]
    [InlineData(new[] { 1.5 }, "double precision[]")]
    [InlineData(new[] { "a", null }, "text[]")]
    public async Task A_collection_parameter_is_sent_as_the_array_of_its_element_type(object value, string expectedType)
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal(expectedType, await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", value));
    }

    [Fact]
    public async Task Lists_nullable_elements_decimals_and_byte_arrays_pick_their_array_types()
    {
        await using var conn = await db.OpenAsync();
        async Task<string?> TypeOf(object value) => await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", value);
        Assert.Equal("integer[]", await TypeOf(new List<int> { 1 }));
        Assert.Equal("integer[]", await TypeOf(new int?[] { 1, null }));
        Assert.Equal("integer[]", await TypeOf(new int[,] { { 1 } }));
        Assert.Equal("text[]", await TypeOf(new List<string> { "x" }));
        Assert.Equal("numeric[]", await TypeOf(new[] { 1.5m }));
        Assert.Equal("bytea[]", await TypeOf(new[] { new byte[] { 1, 2 }, null }));
        Assert.Equal("integer[]", await TypeOf(new object[] { 1, 2 }));
        Assert.Equal("bigint[]", await TypeOf(new HashSet<long> { 7 }));
    }

    [Fact]
    public async Task Int_arrays_with_NULL_elements_and_lists_round_trip()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal("{1,NULL,3}", await conn.QueryScalarAsync<string>("SELECT $1::text", new int?[] { 1, null, 3 }));
        Assert.Equal("{1,NULL,3}", await conn.QueryScalarAsync<string>("SELECT $1::text", new List<long?> { 1, null, 3 }));
        Assert.Equal(new int?[] { 1, null, 3 }, await conn.QueryScalarAsync<int?[]>("SELECT $1", new int?[] { 1, null, 3 }));
        Assert.Equal(new[] { 9L, 8L }, await conn.QueryScalarAsync<List<long>>("SELECT $1", new List<long> { 9, 8 }));
    }

    [Fact]
    public async Task Strings_with_quotes_braces_commas_backslashes_spaces_NULL_words_and_unicode_round_trip()
    {
        await using var conn = await db.OpenAsync();
        string?[] values = ["", " ", "a,b", "{x}", "say \"hi\"", "back\\slash", "NULL", "null", null, "é漢🙂", "tab\there", "plain"];
        Assert.Equal(ArrayLiteral.Format(values), await conn.QueryScalarAsync<string>("SELECT $1::text", [values]));
        Assert.Equal(values, await conn.QueryScalarAsync<string?[]>("SELECT $1", [values]));
        Assert.Equal(values.Length, await conn.QueryScalarAsync<int>("SELECT cardinality($1)", [values]));
        Assert.True(await conn.QueryScalarAsync<bool>("SELECT ($1)[9] IS NULL AND ($1)[7] = 'NULL'", [values]));
    }

    [Fact]
    public async Task Byte_array_arrays_are_bytea_arrays()
    {
        await using var conn = await db.OpenAsync();
        byte[]?[] values = [[1, 2, 255], [], null];
        Assert.Equal("{\"\\\\x0102ff\",\"\\\\x\",NULL}", await conn.QueryScalarAsync<string>("SELECT $1::text", [values]));
        Assert.Equal(values, await conn.QueryScalarAsync<byte[]?[]>("SELECT $1", [values]));
    }

    [Fact]
    public async Task Every_registered_element_type_round_trips_through_its_array_with_an_explicit_PgDbType()
    {
        await using var conn = await db.OpenAsync();
        async Task Check(object value, PgDbType element, string expectedText, string sqlType)
        {
            var parameter = new PgParameter(value, PgDbType.Array | element);
            Assert.Equal(sqlType, await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", parameter));
            Assert.Equal(expectedText, await conn.QueryScalarAsync<string>("SELECT $1::text", parameter));
        }
        await Check(new[] { true, false }, PgDbType.Boolean, "{t,f}", "boolean[]");
        await Check(new short[] { -32768, 32767 }, PgDbType.Smallint, "{-32768,32767}", "smallint[]");
        await Check(new[] { int.MinValue }, PgDbType.Integer, "{-2147483648}", "integer[]");
        await Check(new[] { long.MaxValue }, PgDbType.Bigint, "{9223372036854775807}", "bigint[]");
        await Check(new[] { 1.5f, float.NaN }, PgDbType.Real, "{1.5,NaN}", "real[]");
        await Check(new[] { -0.25, double.PositiveInfinity }, PgDbType.Double, "{-0.25,Infinity}", "double precision[]");
        await Check(new[] { 1.50m, -3m }, PgDbType.Numeric, "{1.50,-3}", "numeric[]");
        await Check(new[] { "a b" }, PgDbType.Text, "{\"a b\"}", "text[]");
        await Check(new[] { "v" }, PgDbType.Varchar, "{v}", "character varying[]");
        await Check(new[] { "c" }, PgDbType.Char, "{c}", "character[]");
        await Check(new[] { "pg_class" }, PgDbType.Name, "{pg_class}", "name[]");
        await Check(new[] { new byte[] { 0xAB } }, PgDbType.Bytea, "{\"\\\\xab\"}", "bytea[]");
        await Check(new uint[] { 4000000000 }, PgDbType.Oid, "{4000000000}", "oid[]");
        await Check(new[] { 'x', 'y' }.ToList(), PgDbType.InternalChar, "{x,y}", "\"char\"[]");

        Assert.Equal(new[] { 'x', 'y' }, await conn.QueryScalarAsync<char[]>("SELECT '{x,y}'::\"char\"[]"));
        Assert.Equal(new[] { "pg_class" }, await conn.QueryScalarAsync<string[]>("SELECT ARRAY['pg_class']::name[]"));
        Assert.Equal(new[] { 1.5f }, await conn.QueryScalarAsync<float[]>("SELECT ARRAY[1.5]::real[]"));
        Assert.Equal(new[] { 4000000000u }, await conn.QueryScalarAsync<uint[]>("SELECT ARRAY[4000000000]::oid[]"));
        Assert.Equal(new[] { (short)7 }, await conn.QueryScalarAsync<short[]>("SELECT ARRAY[7]::int2[]"));
        Assert.Equal(new[] { "ab  " }, await conn.QueryScalarAsync<string[]>("SELECT ARRAY['ab']::char(4)[]"));
    }

    [Fact]
    public async Task Elements_of_another_dotnet_type_are_converted_with_the_element_types_checks()
    {
        // Log Parameters lets the message name the value that does not fit.
        await using var conn = await db.OpenAsync(db.ConnectionString + ";Log Parameters=true");
        var fits = new PgParameter(new List<long> { 1, 2 }, PgDbType.Array | PgDbType.Integer);
        Assert.Equal("{1,2}", await conn.QueryScalarAsync<string>("SELECT $1::text", fits));
        var tooBig = new PgParameter(new[] { 1L, 5_000_000_000L }, PgDbType.Array | PgDbType.Integer);
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<string>("SELECT $1::text", tooBig));
        Assert.Contains("5000000000", e.Message);
        Assert.Equal(PgErrorCodes.NumericValueOutOfRange, e.SqlState);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task A_string_is_not_sent_as_an_array_of_characters()
    {
        await using var conn = await db.OpenAsync();
        var parameter = new PgParameter((object)"abc", PgDbType.Array | PgDbType.Text);
        await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<string>("SELECT $1::text", parameter));
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task An_array_of_an_element_type_PgWire_does_not_know_reads_as_its_text()
    {
        await using var conn = await db.OpenAsync();
        await using var cmd = new PgCommand("SELECT ARRAY[point(1, 2), NULL]", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(typeof(string), reader.GetFieldType(0));
        Assert.Equal("{\"(1,2)\",NULL}", reader.GetValue(0));
    }

    [Fact]
    public async Task Arrays_in_a_table_insert_and_select_through_a_repeated_statement()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE array_rows (id int, tags text[], grid int[])");
        for (int i = 0; i < 3; i++)
            await conn.ExecuteAsync("INSERT INTO array_rows VALUES ($1, $2, $3)", i, new[] { $"t{i}", null }, new int?[,] { { i, null } });
        var rows = await conn.QueryAsync("SELECT tags, grid FROM array_rows ORDER BY id");
        Assert.Equal(3, rows.Count);
        Assert.Equal(new[] { "t2", null }, Assert.IsType<string[]>(rows[2][0]));
        Assert.Equal(new int?[,] { { 2, null } }, Assert.IsType<int?[,]>(rows[2][1]));
        Assert.Equal(2, await conn.QueryScalarAsync<long>("SELECT count(*) FROM array_rows WHERE id = ANY($1)", new[] { 0, 2, 7 }));
    }

    [Fact]
    public async Task A_value_that_does_not_fit_an_element_names_the_column()
    {
        await using var conn = await db.OpenAsync();
        var e = await Assert.ThrowsAsync<PgConversionException>(
            async () => await conn.QueryScalarAsync<decimal[]>("SELECT ARRAY['NaN']::numeric[] AS amounts"));
        Assert.Contains("\"amounts\"", e.Message);
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task An_array_reads_as_a_collection_of_any_type_its_element_type_converts_to()
    {
        await using var conn = await db.OpenAsync();
        Assert.Equal(new[] { 1L, 2L }, await conn.QueryScalarAsync<long[]>("SELECT ARRAY[1, 2]"));
        Assert.Equal(new List<decimal> { 1, 2 }, await conn.QueryScalarAsync<List<decimal>>("SELECT ARRAY[1, 2]"));
        Assert.Equal(new short?[] { 1, null }, await conn.QueryScalarAsync<short?[]>("SELECT ARRAY[1, NULL]"));
        Assert.Equal(new double[,] { { 1, 2 } }, await conn.QueryScalarAsync<double[,]>("SELECT ARRAY[[1, 2]]::int8[]"));
        Assert.Equal(new[] { "1.50" }, await conn.QueryScalarAsync<string[]>("SELECT ARRAY[1.50]"));
        var rows = await conn.QueryAsync("SELECT ARRAY[7, 8]");
        Assert.Equal(new[] { 7L, 8L }, rows[0].Get<long[]>(0));
        var e = await Assert.ThrowsAsync<PgConversionException>(async () => await conn.QueryScalarAsync<short[]>("SELECT ARRAY[70000] AS big"));
        Assert.Contains("\"big\"", e.Message);
        await Assert.ThrowsAsync<InvalidCastException>(async () => await conn.QueryScalarAsync<DateTime[]>("SELECT ARRAY[1]"));
        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Arrays_of_date_time_uuid_json_and_network_values_use_their_element_types()
    {
        await using var conn = await db.OpenAsync();
        async Task<string?> TypeOf(object value) => await conn.QueryScalarAsync<string>("SELECT pg_typeof($1)::text", value);
        var utc = new DateTime(2024, 2, 29, 13, 45, 0, DateTimeKind.Utc);
        Assert.Equal("timestamp with time zone[]", await TypeOf(new[] { utc }));
        Assert.Equal("timestamp without time zone[]", await TypeOf(new[] { new DateTime(2024, 2, 29) }));
        Assert.Equal("timestamp with time zone[]", await TypeOf(new DateTime?[] { null, utc }));
        Assert.Equal("date[]", await TypeOf(new[] { new DateOnly(2024, 2, 29) }));
        Assert.Equal("uuid[]", await TypeOf(new List<Guid> { Guid.Empty }));
        Assert.Equal("inet[]", await TypeOf(new[] { System.Net.IPAddress.Parse("127.0.0.1") }));
        Assert.Equal("interval[]", await TypeOf(new[] { TimeSpan.FromHours(1) }));

        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        Assert.Equal("{0f8fad5b-d9cb-469f-a165-70867728950e,NULL}", await conn.QueryScalarAsync<string>("SELECT $1::text", new Guid?[] { guid, null }));
        Assert.Equal(new[] { utc }, await conn.QueryScalarAsync<DateTime[]>("SELECT $1", new[] { utc }));
        Assert.Equal(new[] { new DateOnly(2024, 2, 29) }, await conn.QueryScalarAsync<DateOnly[]>("SELECT ARRAY['2024-02-29'::date]"));
    }
}
