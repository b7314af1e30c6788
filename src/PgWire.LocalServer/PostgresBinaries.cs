namespace PgWire.LocalServer;

/// <summary>Where the server's programs are: found once per start, from the options, PG_BIN, PATH or the Debian layout.</summary>
internal sealed record PostgresBinaries(string Directory, string Initdb, string PgCtl, string Postgres, string Psql)
{
    internal const string NotFoundMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in PG_BIN, PATH or /usr/lib/postgresql/*/bin. " +
        "Install them, e.g. `apt-get install postgresql` on Debian/Ubuntu, or set PG_BIN.";

    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>pg_basebackup, which only a standby needs: it ships with the server in every package we know.</summary>
    public string PgBasebackup => Path.Combine(Directory, ExecutableName("pg_basebackup"));

    public static PostgresBinaries Locate(string? configuredDirectory)
    {
        // An explicit choice that is wrong is an error, not a reason to quietly pick some other version.
        if (!string.IsNullOrWhiteSpace(configuredDirectory))
            return FromDirectory(configuredDirectory)
                ?? throw new LocalPostgresException($"LocalPostgresOptions.BinDirectory '{configuredDirectory}' does not contain initdb and pg_ctl.");

        var pgBin = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrWhiteSpace(pgBin))
            return FromDirectory(pgBin)
                ?? throw new LocalPostgresException($"PG_BIN is '{pgBin}', which does not contain initdb and pg_ctl.");

        return FromPath() ?? FromDebianLayout() ?? throw new LocalPostgresException(NotFoundMessage);
    }

    /// <summary>The full path of <paramref name="name"/> in the first PATH folder that has it, or null.</summary>
    public static string? FindInPath(string name)
    {
        foreach (var folder in PathFolders())
        {
            var candidate = Path.Combine(folder, ExecutableName(name));
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static PostgresBinaries? FromPath()
    {
        foreach (var folder in PathFolders())
        {
            if (!HasServerTools(folder))
                continue;
            // Some images put symlinks to initdb and pg_ctl in /usr/local/bin but not psql: follow the link
            // back to the real bin folder, which has the whole set.
            var real = RealFolderOf(Path.Combine(folder, ExecutableName("initdb")));
            return (real is not null ? FromDirectory(real) : null) ?? FromDirectory(folder);
        }
        return null;
    }

    private static PostgresBinaries? FromDebianLayout()
    {
        if (!System.IO.Directory.Exists(DebianRoot))
            return null;
        // Numeric order, so 9.6 < 10 < 16 (an ordinal sort would put 9.6 last).
        return System.IO.Directory.GetDirectories(DebianRoot)
            .Select(dir => (dir, version: ParseVersion(Path.GetFileName(dir))))
            .Where(x => x.version is not null)
            .OrderByDescending(x => x.version)
            .Select(x => FromDirectory(Path.Combine(x.dir, "bin")))
            .FirstOrDefault(found => found is not null);
    }

    private static PostgresBinaries? FromDirectory(string folder)
    {
        folder = Path.GetFullPath(folder);
        if (!HasServerTools(folder))
            return null;
        var postgres = Path.Combine(folder, ExecutableName("postgres"));
        // The client package is separate from the server's on some systems, so psql may live elsewhere.
        var psql = Path.Combine(folder, ExecutableName("psql"));
        if (!File.Exists(psql))
            psql = FindInPath("psql") ?? throw new LocalPostgresException(
                $"psql was not found in '{folder}' or PATH; it is needed to create the test roles. Install the PostgreSQL client (e.g. `apt-get install postgresql-client`).");
        return new PostgresBinaries(folder, Path.Combine(folder, ExecutableName("initdb")), Path.Combine(folder, ExecutableName("pg_ctl")), postgres, psql);
    }

    private static bool HasServerTools(string folder) =>
        File.Exists(Path.Combine(folder, ExecutableName("initdb"))) && File.Exists(Path.Combine(folder, ExecutableName("pg_ctl")));

    private static string? RealFolderOf(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return target is null ? null : Path.GetDirectoryName(target.FullName);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var version) ? version : null;

    private static IEnumerable<string> PathFolders() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;
}
