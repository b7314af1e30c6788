using PgWire.Connection;
using PgWire.Sql;
using PgWire.Types;

namespace PgWire;

/// <summary>
/// A command text with positional arguments ($1, $2, ... in the order of <c>args</c>). A text of several statements
/// separated by ';' becomes one statement of the request each, its placeholders renumbered and bound to the arguments
/// they name, so that the statements run as a batch: one round trip, one Sync, atomic outside a transaction.
/// </summary>
internal readonly struct CommandText(string sql, IReadOnlyList<object?> args) : ICommandSource
{
    /// <summary>
    /// Refuses @name and :name placeholders: the native API binds its arguments in order, to $1, $2, ... Sent as they
    /// are, "WHERE id = @id" would compare id with its absolute value, and Dapper's Query and Execute called on a
    /// PgConnection variable land here (an instance method hides an extension method of the same name).
    /// </summary>
    public void ResolveText()
    {
        if (SqlSplitter.IsPlain(sql)) return;
        var parsed = ParsedSqlCache.Commands.Get(sql);
        if (parsed.IsNamed)
        {
            string placeholder = parsed.Placeholders[0];
            string name = parsed.Names[0];
            throw new ArgumentException(
                $"The command text uses the named parameter {placeholder}, but PgConnection's own Query, Execute and QueryScalar " +
                "methods bind their arguments in order, to $1, $2, ...; named parameters belong to PgCommand. Calling Dapper? On a " +
                "variable typed PgConnection these methods hide Dapper's extension methods of the same name: call Dapper on a " +
                "DbConnection or IDbConnection, or as SqlMapper.Execute(connection, ...)." +
                (placeholder[0] == '@' ? $" (For PostgreSQL's absolute-value operator write @ {name}, with a space, or abs({name}).)" : ""));
        }
    }

    /// <summary>The statements as <see cref="ResolveText"/> read them (a positional text's, kept in the same cache).</summary>
    public void Fill(CommandRequest request, PgTypeRegistry registry) =>
        Fill(request, sql, ParsedSqlCache.Commands.Get(sql).Statements, args, registry);

    /// <summary>Fills the request with <paramref name="sql"/> split into <paramref name="statements"/> (null: one statement).</summary>
    public static void Fill(CommandRequest request, string sql, IReadOnlyList<SqlStatement>? statements, IReadOnlyList<object?> args,
        PgTypeRegistry registry)
    {
        if (statements is null)
        {
            Bind(request.Add(sql), args, registry);
            return;
        }
        // By index: a foreach over the interface would allocate an enumerator every run.
        for (int s = 0; s < statements.Count; s++)
        {
            var statement = statements[s];
            var parameters = request.Add(statement.Sql);
            foreach (int index in statement.ParameterIndexes)
            {
                if (index >= args.Count)
                    throw new ArgumentException(
                        $"The statement \"{statement.Sql}\" of the command uses ${index + 1}, but the command has {args.Count} parameter(s).");
                BindOne(parameters, args[index], registry);
            }
        }
    }

    /// <summary>Binds each argument in order into the empty <paramref name="parameters"/>: a PgParameter by its value and type, anything else by its .NET type.</summary>
    public static void Bind(BoundParameters parameters, IReadOnlyList<object?> args, PgTypeRegistry registry)
    {
        for (int i = 0; i < args.Count; i++) BindOne(parameters, args[i], registry);
    }

    private static void BindOne(BoundParameters parameters, object? arg, PgTypeRegistry registry)
    {
        if (arg is PgParameter p) p.Bind(parameters, registry);
        else parameters.Add(arg, null, registry);
    }
}
