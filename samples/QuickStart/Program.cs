// The seed's usage example, in C#: connect, create a table, run a parameterized query, print the rows
// and the .NET type of each column. With PGWIRE_CONNECTION unset it starts a throwaway PostgreSQL server.
using PgWire;
using PgWire.LocalServer;

string? connectionString = Environment.GetEnvironmentVariable("PGWIRE_CONNECTION");
LocalPostgres? server = null;
try
{
    if (string.IsNullOrEmpty(connectionString))
    {
        Console.WriteLine("PGWIRE_CONNECTION is not set: starting a throwaway PostgreSQL server...");
        server = await LocalPostgres.StartAsync();
        connectionString = server.ConnectionString;
    }

    await using var conn = new PgConnection(connectionString);
    await conn.OpenAsync();
    Console.WriteLine($"Connection successful! (PostgreSQL {conn.ServerVersion})");

    await conn.ExecuteAsync("DROP TABLE IF EXISTS test_data");
    await conn.ExecuteAsync("CREATE TABLE test_data (id INT PRIMARY KEY, name TEXT, is_active BOOLEAN)");
    await conn.ExecuteAsync("INSERT INTO test_data VALUES ($1, $2, $3), ($4, $5, $6)", 1, "Alice", true, 2, "Bob", false);

    // Execute a secure, parameterized query: the value travels as a parameter, never inside the SQL text.
    var rows = await conn.QueryAsync("SELECT id, name, is_active FROM test_data WHERE id = $1;", 1);

    Console.WriteLine();
    Console.WriteLine("Query Results:");
    foreach (var row in rows)
        Console.WriteLine($"  {row}");

    if (rows.Count > 0)
    {
        Console.WriteLine();
        Console.WriteLine("Verified Data Types:");
        var first = rows[0];
        for (int i = 0; i < first.Count; i++)
            Console.WriteLine($"  - Column '{first.ColumnNames[i]}' is of type: {first[i]?.GetType().FullName ?? "NULL"}");
    }
    return 0;
}
catch (PgException e)
{
    Console.Error.WriteLine($"An error occurred: {e.Message}");
    return 1;
}
finally
{
    if (server is not null) await server.DisposeAsync();
}
