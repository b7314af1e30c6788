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
    /// <summary>Nothing to check ahead: the native API binds by position, and a text that has to be split is checked as it is.</summary>
    public void ResolveText() { }

    public void Fill(CommandRequest request, PgTypeRegistry registry) => Fill(request, sql, SqlSplitter.Split(sql), args, registry);

    /// <summary>Fills the request with <paramref name="sql"/> split into <paramref name="statements"/> (null: one statement).</summary>
    public static void Fill(CommandRequest request, string sql, IReadOnlyList<SqlStatement>? statements, IReadOnlyList<object?> args,
        PgTypeRegistry registry)
    {
        if (statements is null)
        {
            Bind(request.Add(sql), args, registry);
            return;
        }
        foreach (var statement in statements)
        {
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
