using System.Data;

namespace PgWire.Schema;

/// <summary>
/// Runs a catalog query on the connection, its $1..$n bound to the given texts (null for NULL), and returns its rows
/// as a DataTable named after the collection.
/// </summary>
internal static class SchemaQuery
{
    public static async ValueTask<DataTable> RunAsync(PgConnection connection, string tableName, string sql, IReadOnlyList<string?> parameters,
        bool async, CancellationToken cancellationToken)
    {
        await using var command = new PgCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new PgParameter(value, PgDbType.Text));
        var table = new DataTable(tableName);
        var reader = async
            ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false)
            : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            for (int i = 0; i < reader.FieldCount; i++) table.Columns.Add(reader.GetName(i), reader.GetFieldType(i));
            var values = new object[reader.FieldCount];
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                reader.GetValues(values);
                table.Rows.Add(values);
            }
        }
        table.AcceptChanges();
        return table;
    }
}
