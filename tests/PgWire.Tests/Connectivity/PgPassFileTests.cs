using PgWire.Connection;

namespace PgWire.Tests.Connectivity;

public class PgPassFileTests
{
    private static string? Lookup(string text, string host = "db.example", int port = 5432, string database = "app", string user = "alice") =>
        PgPassFile.FirstMatch(PgPassFile.Parse(text), host, port, database, user);

    // ---- parsing and matching, no files ----

    [Fact]
    public void A_line_that_matches_every_field_gives_its_password()
    {
        Assert.Equal("secret", Lookup("db.example:5432:app:alice:secret"));
    }

    [Fact]
    public void The_first_matching_line_wins()
    {
        Assert.Equal("first", Lookup("db.example:5432:app:alice:first\ndb.example:5432:app:alice:second\n*:*:*:*:third"));
    }

    [Fact]
    public void A_more_specific_line_after_a_wildcard_line_is_not_reached()
    {
        Assert.Equal("wild", Lookup("*:*:*:*:wild\ndb.example:5432:app:alice:exact"));
    }

    [Fact]
    public void Lines_that_do_not_match_are_passed_over()
    {
        string text = "other.host:5432:app:alice:a\ndb.example:5433:app:alice:b\ndb.example:5432:other:alice:c\ndb.example:5432:app:bob:d\ndb.example:5432:app:alice:e";
        Assert.Equal("e", Lookup(text));
    }

    [Fact]
    public void No_matching_line_gives_null()
    {
        Assert.Null(Lookup("other.host:5432:app:alice:secret"));
    }

    [Fact]
    public void A_star_matches_any_host()
    {
        Assert.Equal("p", Lookup("*:5432:app:alice:p", host: "anything.example"));
    }

    [Fact]
    public void A_star_matches_any_port()
    {
        Assert.Equal("p", Lookup("db.example:*:app:alice:p", port: 6543));
    }

    [Fact]
    public void A_star_matches_any_database()
    {
        Assert.Equal("p", Lookup("db.example:5432:*:alice:p", database: "whatever"));
    }

    [Fact]
    public void A_star_matches_any_username()
    {
        Assert.Equal("p", Lookup("db.example:5432:app:*:p", user: "carol"));
    }

    [Fact]
    public void A_star_in_one_field_does_not_loosen_the_others()
    {
        Assert.Null(Lookup("*:5432:app:alice:p", port: 5433));
    }

    [Fact]
    public void An_escaped_star_is_a_literal_star_not_a_wildcard()
    {
        var entry = Assert.Single(PgPassFile.Parse(@"\*:5432:app:alice:p"));
        Assert.Equal("*", entry.Host);
        Assert.Null(Lookup(@"\*:5432:app:alice:p", host: "db.example"));
        Assert.Equal("p", Lookup(@"\*:5432:app:alice:p", host: "*"));
    }

    [Fact]
    public void A_star_inside_a_longer_field_is_literal()
    {
        Assert.Null(Lookup("db*:5432:app:alice:p", host: "db.example"));
    }

    [Fact]
    public void Fields_compare_case_sensitively()
    {
        Assert.Null(Lookup("db.example:5432:App:alice:p"));
    }

    [Fact]
    public void An_escaped_colon_belongs_to_the_field()
    {
        var entry = Assert.Single(PgPassFile.Parse(@"\:\:1:5432:app:alice:p"));
        Assert.Equal("::1", entry.Host);
        Assert.Equal("5432", entry.Port);
        Assert.Equal("p", Lookup(@"\:\:1:5432:app:alice:p", host: "::1"));
        Assert.Equal("p", Lookup(@"db.example:5432:my\:db:alice:p", database: "my:db"));
    }

    [Fact]
    public void An_escaped_backslash_is_one_backslash_in_the_field()
    {
        Assert.Equal("p", Lookup(@"db.example:5432:app:DOMAIN\\alice:p", user: @"DOMAIN\alice"));
    }

    [Fact]
    public void Escaped_colons_and_backslashes_in_the_password_are_unescaped()
    {
        Assert.Equal(@"pa:ss\word", Lookup(@"db.example:5432:app:alice:pa\:ss\\word"));
    }

    [Fact]
    public void A_backslash_before_an_ordinary_character_is_dropped()
    {
        Assert.Equal("abc", Lookup(@"db.example:5432:app:alice:a\bc"));
    }

    [Fact]
    public void A_trailing_backslash_in_the_password_is_kept()
    {
        Assert.Equal(@"abc\", Lookup("db.example:5432:app:alice:abc\\"));
    }

    [Fact]
    public void An_unescaped_colon_ends_the_password()
    {
        Assert.Equal("secret", Lookup("db.example:5432:app:alice:secret:extra"));
    }

    [Fact]
    public void An_empty_password_field_is_an_empty_password()
    {
        Assert.Equal("", Lookup("db.example:5432:app:alice:"));
    }

    [Fact]
    public void Comment_lines_are_skipped()
    {
        var entries = PgPassFile.Parse("#db.example:5432:app:alice:commented\ndb.example:5432:app:alice:real");
        Assert.Equal("real", Assert.Single(entries).Password);
    }

    [Fact]
    public void A_hash_after_the_first_column_is_not_a_comment()
    {
        Assert.Equal("#x", Lookup(" #:5432:app:alice:#x", host: " #"));
    }

    [Fact]
    public void Blank_lines_are_skipped()
    {
        Assert.Equal(2, PgPassFile.Parse("\n\na:1:b:c:d\n\r\n\ne:2:f:g:h\n").Count);
    }

    [Fact]
    public void Lines_with_fewer_than_five_fields_are_skipped()
    {
        var entries = PgPassFile.Parse("db.example:5432:app:alice\ndb.example:5432\njunk\ndb.example:5432:app:alice:ok");
        Assert.Equal("ok", Assert.Single(entries).Password);
    }

    [Fact]
    public void An_escaped_colon_does_not_count_as_a_field_separator()
    {
        Assert.Empty(PgPassFile.Parse(@"a:b:c\:d:e"));
    }

    [Fact]
    public void Windows_line_endings_are_stripped_from_the_password()
    {
        Assert.Equal("secret", Lookup("db.example:5432:app:alice:secret\r\nother:1:x:y:z\r\n"));
    }

    [Fact]
    public void A_socket_directory_matches_the_localhost_field()
    {
        Assert.Equal("sock", Lookup("localhost:5432:app:alice:sock", host: "/var/run/postgresql"));
    }

    [Fact]
    public void A_socket_directory_matches_its_literal_path()
    {
        Assert.Equal("path", Lookup("/tmp:5432:app:alice:path", host: "/tmp"));
    }

    [Fact]
    public void A_socket_directory_does_not_match_another_path()
    {
        Assert.Null(Lookup("/tmp:5432:app:alice:path", host: "/var/run/postgresql"));
    }

    [Fact]
    public void A_tcp_host_does_not_match_the_localhost_field()
    {
        Assert.Null(Lookup("localhost:5432:app:alice:p", host: "127.0.0.1"));
    }

    [Fact]
    public void No_host_matches_the_localhost_field()
    {
        Assert.Equal("p", Lookup("localhost:5432:app:alice:p", host: ""));
    }

    [Fact]
    public void The_port_field_is_compared_with_the_port_number()
    {
        Assert.Equal("p", Lookup("db.example:6543:app:alice:p", port: 6543));
        Assert.Null(Lookup("db.example:6543:app:alice:p", port: 5432));
    }

    [Fact]
    public void An_empty_database_or_user_finds_nothing_even_with_wildcards()
    {
        Assert.Null(Lookup("*:*:*:*:p", database: ""));
        Assert.Null(Lookup("*:*:*:*:p", user: ""));
    }

    // ---- the default location ----

    [Fact]
    public void PGPASSFILE_sets_the_default_path()
    {
        Assert.Equal("/etc/my.pgpass", PgPassFile.DefaultPath(Env(("PGPASSFILE", "/etc/my.pgpass")), "/home/alice", windows: false));
    }

    [Fact]
    public void Without_PGPASSFILE_the_unix_default_is_dot_pgpass_in_the_home_directory()
    {
        Assert.Equal("/home/alice/.pgpass", PgPassFile.DefaultPath(Env(), "/home/alice", windows: false));
    }

    [Fact]
    public void An_empty_PGPASSFILE_counts_as_unset()
    {
        Assert.Equal("/home/alice/.pgpass", PgPassFile.DefaultPath(Env(("PGPASSFILE", "")), "/home/alice", windows: false));
    }

    [Fact]
    public void The_windows_default_is_pgpass_conf_under_appdata_postgresql()
    {
        Assert.Equal(@"C:\Users\alice\AppData\Roaming\postgresql\pgpass.conf",
            PgPassFile.DefaultPath(Env(), @"C:\Users\alice\AppData\Roaming", windows: true));
    }

    [Fact]
    public void Without_a_home_directory_there_is_no_default_path()
    {
        Assert.Null(PgPassFile.DefaultPath(Env(), null, windows: false));
    }

    [Fact]
    public void The_process_default_path_ends_in_the_platform_file_name_or_honours_PGPASSFILE()
    {
        string? path = PgPassFile.DefaultPath();
        string? configured = Environment.GetEnvironmentVariable("PGPASSFILE");
        if (!string.IsNullOrEmpty(configured)) Assert.Equal(configured, path);
        else Assert.EndsWith(OperatingSystem.IsWindows() ? "pgpass.conf" : ".pgpass", path);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    // ---- reading the file ----

    [Fact]
    public void A_missing_file_gives_null_without_a_warning()
    {
        var warnings = new List<string>();
        string path = Path.Combine(Path.GetTempPath(), "pgwire-no-such-" + Guid.NewGuid().ToString("N"));
        Assert.Null(PgPassFile.FindPassword(path, "db.example", 5432, "app", "alice", warnings.Add));
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_directory_gives_null()
    {
        var dir = Directory.CreateTempSubdirectory("pgwire-pgpass-");
        try
        {
            Assert.Null(PgPassFile.FindPassword(dir.FullName, "db.example", 5432, "app", "alice"));
        }
        finally
        {
            dir.Delete();
        }
    }

    [Fact]
    public void A_file_readable_only_by_its_owner_is_read()
    {
        var warnings = new List<string>();
        string path = WriteTemp("db.example:5432:app:alice:from-file\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            Assert.Equal("from-file", PgPassFile.FindPassword(path, "db.example", 5432, "app", "alice", warnings.Add));
            Assert.Empty(warnings);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_with_no_matching_line_gives_null()
    {
        string path = WriteTemp("other:5432:app:alice:x\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            Assert.Null(PgPassFile.FindPassword(path, "db.example", 5432, "app", "alice"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void On_unix_a_file_readable_by_group_and_others_is_ignored_with_a_warning()
    {
        if (OperatingSystem.IsWindows()) return; // libpq makes no permission check on Windows
        var warnings = new List<string>();
        string path = WriteTemp("db.example:5432:app:alice:leaked\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // 0644
        try
        {
            Assert.Null(PgPassFile.FindPassword(path, "db.example", 5432, "app", "alice", warnings.Add));
            string warning = Assert.Single(warnings);
            Assert.Contains(path, warning);
            Assert.Contains("group or world access", warning);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void On_unix_any_group_permission_bit_is_enough_to_ignore_the_file()
    {
        if (OperatingSystem.IsWindows()) return;
        var warnings = new List<string>();
        string path = WriteTemp("db.example:5432:app:alice:leaked\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupExecute); // 0610
        try
        {
            Assert.Null(PgPassFile.FindPassword(path, "db.example", 5432, "app", "alice", warnings.Add));
            Assert.Single(warnings);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void On_unix_an_insecure_file_is_ignored_even_without_a_warning_callback()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = WriteTemp("db.example:5432:app:alice:leaked\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead); // 0604
        try
        {
            Assert.Null(PgPassFile.FindPassword(path, "db.example", 5432, "app", "alice"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string WriteTemp(string text, UnixFileMode mode)
    {
        string path = Path.Combine(Path.GetTempPath(), "pgwire-pgpass-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
        return path;
    }
}
