using System.Diagnostics;

namespace PgWire.Benchmarks;

/// <summary>Runs one of PostgreSQL's C clients (pgbench, psql) against the benchmark's server and returns what it printed.</summary>
internal static class CClientProcess
{
    /// <summary>
    /// Runs <paramref name="executable"/> with the server's host, port and user from <paramref name="connectionString"/>
    /// (its password in PGPASSWORD), then <paramref name="arguments"/>, then <paramref name="database"/>; its standard
    /// output, or an InvalidOperationException with everything it printed when it fails.
    /// </summary>
    public static async Task<string> RunAsync(string executable, string connectionString, IReadOnlyList<string> arguments, string database)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-h");
        start.ArgumentList.Add(ConnectionStrings.Get(connectionString, "Host", "Server") ?? "localhost");
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(ConnectionStrings.Get(connectionString, "Port") ?? "5432");
        if (ConnectionStrings.Get(connectionString, "Username", "User Name", "User ID", "User", "UserID") is { } user)
        {
            start.ArgumentList.Add("-U");
            start.ArgumentList.Add(user);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add(database);
        if (ConnectionStrings.Get(connectionString, "Password", "PWD") is { } password)
            start.Environment["PGPASSWORD"] = password;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout, errors = await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(executable)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{errors}{output}");
        return output;
    }

    /// <summary>The database the connection string names, for a client that takes it as an argument.</summary>
    public static string DatabaseOf(string connectionString) => ConnectionStrings.Get(connectionString, "Database", "DB") ?? "postgres";
}
