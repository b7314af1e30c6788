using System.Globalization;
using CsCheck;
using PgWire.Tests.Infrastructure;

namespace PgWire.Tests.Types.Misc;

/// <summary>xid, xid8, cid, regclass, regtype, tid and pg_lsn.</summary>
[Collection("Database")]
public sealed class IdentifierTypesTests(DatabaseFixture db)
{
    private static string Decimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(PgDbType.Xid, "xid")]
    [InlineData(PgDbType.Cid, "cid")]
    [InlineData(PgDbType.Regtype, "regtype")]
    [InlineData(PgDbType.Regclass, "regclass")]
    public async Task A_uint_named_as_a_32_bit_identifier_type_prints_as_its_number(PgDbType type, string name)
    {
        await using var conn = await db.OpenAsync();
        // Above every OID a test cluster hands out, so regclass and regtype print numbers, not names.
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.UInt[10_000_000, uint.MaxValue],
            "SELECT format('%s %s', $1, pg_typeof($1))", v => Decimal(v) + " " + name, type);
    }

    [Theory]
    [InlineData("xid")]
    [InlineData("cid")]
    public async Task A_32_bit_identifier_made_by_the_server_reads_as_its_number(string type)
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<uint>(conn, $"((random() * 4294967295)::bigint)::text::{type}", v => Decimal(v));
    }

    [Fact]
    public async Task Regclass_and_regtype_read_as_the_OID_their_name_stands_for()
    {
        await using var conn = await db.OpenAsync();
        await using (var cmd = new PgCommand("SELECT 'pg_class'::regclass, 'integer'::regtype, 'pg_class'::regclass::text", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(1259u, reader.GetFieldValue<uint>(0));
            Assert.Equal(23u, reader.GetValue(1));
            Assert.Equal(23L, reader.GetInt64(1));
            Assert.Equal("regclass", reader.GetDataTypeName(0));
            Assert.Equal(typeof(uint), reader.GetFieldType(0));
            Assert.Equal("pg_class", reader.GetString(2));
        }
        Assert.Equal("pg_class", await conn.QueryScalarAsync<string>("SELECT $1::text", new PgParameter(1259u, PgDbType.Regclass)));
    }

    [Fact]
    public async Task A_ulong_named_Xid8_prints_as_its_number_and_the_current_transaction_reads_as_one()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.ULong, "SELECT $1::text", Decimal, PgDbType.Xid8);
        await Differential.ServerValuesReadAsPrintedAsync<ulong>(conn, "((random() * 1.8e19)::numeric(20))::text::xid8", Decimal);
        Assert.True(await conn.QueryScalarAsync<ulong>("SELECT pg_current_xact_id()") > 0);
        Assert.Equal("xid", await conn.QueryScalarAsync<string>("SELECT pg_typeof(xmin)::text FROM pg_class LIMIT 1"));
        Assert.True(await conn.QueryScalarAsync<uint>("SELECT xmin FROM pg_class LIMIT 1") > 0);
    }

    [Fact]
    public async Task A_PgTid_sent_as_a_parameter_prints_as_block_and_offset()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.Select(Gen.UInt, Gen.UShort, (b, o) => new PgTid(b, o)),
            "SELECT format('%s %s', $1, pg_typeof($1))", t => $"({Decimal(t.BlockNumber)},{Decimal(t.OffsetNumber)}) tid");
    }

    [Fact]
    public async Task A_tid_made_by_the_server_reads_as_the_PgTid_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<PgTid>(conn,
            "format('(%s,%s)', (random() * 4294967295)::bigint, (random() * 65535)::int)::tid",
            t => $"({Decimal(t.BlockNumber)},{Decimal(t.OffsetNumber)})");
    }

    [Fact]
    public async Task A_rows_ctid_reads_as_PgTid_and_finds_the_row_again()
    {
        await using var conn = await db.OpenAsync();
        await conn.ExecuteAsync("CREATE TEMP TABLE tids AS SELECT g AS n FROM generate_series(1, 500) g");
        var ctid = await conn.QueryScalarAsync<PgTid>("SELECT ctid FROM tids WHERE n = 300");
        Assert.Equal(300, await conn.QueryScalarAsync<int>("SELECT n FROM tids WHERE ctid = $1", ctid));
        Assert.Equal(ctid, PgTid.Parse(ctid.ToString()));
    }

    [Fact]
    public async Task A_PgLsn_sent_as_a_parameter_prints_as_pg_lsn_out_would()
    {
        await using var conn = await db.OpenAsync();
        await Differential.SentValuesPrintAsExpectedAsync(conn, Gen.ULong.Select(v => new PgLsn(v)),
            "SELECT format('%s %s', $1, pg_typeof($1))", l => PgText.Lsn(l.Value) + " pg_lsn");
    }

    [Fact]
    public async Task A_pg_lsn_made_by_the_server_reads_as_the_PgLsn_of_its_text()
    {
        await using var conn = await db.OpenAsync();
        await Differential.ServerValuesReadAsPrintedAsync<PgLsn>(conn, "'0/0'::pg_lsn + (random() * 1.8e19)::numeric(20)", l => l.ToString());
        await Differential.ServerValuesReadAsPrintedAsync<ulong>(conn, "'0/0'::pg_lsn + (random() * 1.8e19)::numeric(20)", PgText.Lsn);
    }

    [Fact]
    public async Task The_current_WAL_position_reads_as_a_PgLsn_that_orders_and_parses()
    {
        await using var conn = await db.OpenAsync();
        var before = await conn.QueryScalarAsync<PgLsn>("SELECT pg_current_wal_lsn()");
        await conn.ExecuteAsync("CREATE TEMP TABLE wal_probe AS SELECT 1");
        var after = await conn.QueryScalarAsync<PgLsn>("SELECT pg_current_wal_insert_lsn()");
        Assert.True(after >= before);
        Assert.Equal(await conn.QueryScalarAsync<long>("SELECT pg_wal_lsn_diff($1, $2)::bigint", after, before), after - before);
        Assert.Equal(new PgLsn(0x16_B374D848), PgLsn.Parse("16/B374D848"));
        Assert.Equal("16/B374D848", new PgLsn(0x16_B374D848).ToString());
        Assert.False(PgLsn.TryParse("16/", out _));
    }
}
