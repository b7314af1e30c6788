using PgWire.Connection;
using PgWire.LocalServer;
using PgWire.Tests.Infrastructure;
using PgWire.Types;
using PgWire.Types.Dynamic;

namespace PgWire.Tests.Connectivity;

/// <summary>
/// A connection string without a password takes it from the password file (Passfile, PGPASSFILE or ~/.pgpass)
/// unless the file is readable by others; libpq's environment variables fill in what the connection string leaves out.
/// </summary>
[Collection("Database")]
public sealed class PasswordFileAndEnvironmentTests(DatabaseFixture db) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgwire-pgpass-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WritePassFile(string contents, UnixFileMode mode)
    {
        string path = Path.Combine(_folder, "pgpass");
        File.WriteAllText(path, contents);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
        return path;
    }

    private string WithoutPassword(LocalPostgresRole role, string extra)
    {
        var builder = new PgConnectionStringBuilder(db.Server.ConnectionStringFor(role)) { Pooling = false };
        builder.Remove("Password");
        return builder.ConnectionString + ";" + extra;
    }

    private string ScramLine(string password) =>
        $"# a comment\n*:*:*:someone_else:wrong\n{db.Server.Host}:{db.Server.Port}:*:{db.Server.UserName(LocalPostgresRole.Scram)}:{password}\n";

    [Fact]
    public async Task A_password_file_readable_only_by_its_owner_supplies_the_password()
    {
        string file = WritePassFile(ScramLine(db.Server.Password(LocalPostgresRole.Scram)!), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var conn = new PgConnection(WithoutPassword(LocalPostgresRole.Scram, $"Passfile={file}"));

        await conn.OpenAsync();

        Assert.Equal(db.Server.UserName(LocalPostgresRole.Scram), await conn.QueryScalarAsync<string>("SELECT current_user::text"));
    }

    [Fact]
    public async Task A_password_file_others_can_read_is_ignored_and_the_error_says_why()
    {
        if (OperatingSystem.IsWindows()) return; // libpq checks the mode on Unix only
        string file = WritePassFile(ScramLine(db.Server.Password(LocalPostgresRole.Scram)!),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var conn = new PgConnection(WithoutPassword(LocalPostgresRole.Scram, $"Passfile={file}"));

        var e = await Assert.ThrowsAsync<PgAuthenticationException>(() => conn.OpenAsync());

        Assert.Contains("group or world access", e.Message);
        Assert.Contains("Password=", e.Message);
    }

    [Fact]
    public async Task A_password_in_the_connection_string_wins_over_the_password_file()
    {
        string file = WritePassFile(ScramLine("not-the-password"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var conn = new PgConnection(db.Server.ConnectionStringFor(LocalPostgresRole.Scram) + $";Pooling=false;Passfile={file}");

        await conn.OpenAsync();

        Assert.Equal(1, await conn.QueryScalarAsync<int>("SELECT 1"));
    }

    [Fact]
    public async Task Environment_variables_fill_in_the_keywords_the_connection_string_leaves_out()
    {
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = db.Server.Host,
            ["PGPORT"] = db.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = db.Server.UserName(LocalPostgresRole.Scram),
            ["PGPASSWORD"] = db.Server.Password(LocalPostgresRole.Scram)!,
            ["PGDATABASE"] = "postgres",
            ["PGAPPNAME"] = "from-the-environment",
            ["PGHOSTADDR_IGNORED"] = "x",
        };
        var builder = new PgConnectionStringBuilder("Pooling=false;Application Name=from-the-connection-string");
        var settings = ConnectorSettings.From(builder, name => environment.GetValueOrDefault(name));
        await using var source = new PgDataSource(builder.ConnectionString, settings, new PgTypeCatalog(PgTypeRegistry.Default, []));
        await using var conn = await source.OpenConnectionAsync();

        var row = (await conn.QueryAsync("SELECT current_user::text AS u, current_setting('application_name') AS app, inet_server_port() AS port"))[0];
        Assert.Equal(db.Server.UserName(LocalPostgresRole.Scram), row["u"]);
        Assert.Equal("from-the-connection-string", row["app"]);
        Assert.Equal(db.Server.Port, row["port"]);
    }
}
