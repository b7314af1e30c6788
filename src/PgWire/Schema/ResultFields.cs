using System.Data;
using PgWire.Connection;
using PgWire.Protocol.Backend;

namespace PgWire.Schema;

/// <summary>
/// The fields of a command's results that come from tables, learned before the command runs, so that their tables
/// can be looked up while the connection is still free (a data reader holds it until it is closed).
/// </summary>
internal static class ResultFields
{
    /// <summary>
    /// From the descriptions this connection keeps of the command's statements when it has run them all before (unless
    /// <paramref name="describeAgain"/>); otherwise every statement is described now (a SchemaOnly round trip), which
    /// also caches the descriptions, so that the command's own run then needs no description of its own.
    /// </summary>
    /// <returns>The fields, and whether they came from the descriptions kept (which may predate a DROP TABLE).</returns>
    public static async ValueTask<(List<FieldDescription> Fields, bool Kept)> OfAsync<TSource>(PgConnection connection, TSource source,
        bool describeAgain, int timeoutSeconds, bool async, CancellationToken cancellationToken) where TSource : ICommandSource
    {
        var fields = new List<FieldDescription>();
        var request = new CommandRequest();
        if (!describeAgain && TryFromDescriptions(connection.ConnectorForCommand, source, request, fields)) return (fields, true);
        fields.Clear();
        var result = await CommandStart.StartAsync(connection, source, request, CommandBehavior.SchemaOnly, timeoutSeconds, async, cancellationToken)
            .ConfigureAwait(false);
        do
        {
            AddTableFields(result.Columns, fields);
        }
        while (await result.NextResultAsync(async, cancellationToken).ConfigureAwait(false));
        return (fields, false);
    }

    private static bool TryFromDescriptions<TSource>(PgConnector connector, TSource source, CommandRequest request, List<FieldDescription> fields)
        where TSource : ICommandSource
    {
        request.Clear(CommandBehavior.SchemaOnly, 0);
        try
        {
            // Binding resolves each parameter's type, which, with the SQL, is what a description is cached under.
            source.Fill(request, connector.TypeRegistry);
            for (int i = 0; i < request.Count; i++)
            {
                var statement = connector.Statements.Find(request.Sql(i), request.Parameters(i).Oids);
                if (statement is null) return false;
                AddTableFields(statement.LastColumns, fields);
            }
            return true;
        }
        catch (Exception e) when (e is ArgumentException or PgConversionException)
        {
            // A value of a type not loaded yet, say: the described run below binds again, loading the types if need be.
            return false;
        }
        finally
        {
            request.Release();
        }
    }

    private static void AddTableFields(ResultColumns? columns, List<FieldDescription> fields)
    {
        if (columns is null) return;
        foreach (var field in columns.Fields)
            if (field.TableOid != 0) fields.Add(field);
    }
}
