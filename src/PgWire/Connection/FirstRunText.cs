namespace PgWire.Connection;

/// <summary>
/// A statement's first run on a connection is described in the same write as its execution, so the format of its
/// rows is chosen before their types are known: it asks for text, and each type's text decoder reads the same .NET
/// value as its binary decoder would. These checks find the statements and sessions where the text could not give that
/// value, so that the statement is described in a round trip of its own first instead (as a prepared run is).
/// </summary>
internal static class FirstRunText
{
    /// <summary>
    /// regclass and regtype travel in binary as the OID PgWire returns, but print as a name; a statement that names
    /// them (a cast, <c>pg_typeof</c>, <c>to_regclass</c>) or a built-in view or function that returns them is
    /// described first. A column of those types reached otherwise (a user's view, table or function of that type) reads
    /// as text on its first run, where reading it as an OID fails with a clear conversion error (GetString works):
    /// PgWire never guesses an OID from a name.
    /// </summary>
    public static bool MayReturnIdentifierNames(string sql)
    {
        foreach (var name in IdentifierSources)
            if (sql.Contains(name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static readonly string[] IdentifierSources =
    [
        "regclass", "regtype", "pg_typeof", "to_reg", "pg_sequences", "pg_prepared_statements", "pg_partition_",
        "pg_get_replica_identity_index", "pg_filenode_relation", "pg_get_catalog_foreign_keys",
    ];

    /// <summary>
    /// Settings that change how numbers, bytes, money, dates and intervals print: a statement that names one (SET,
    /// set_config) marks the session (extra_float_digits, bytea_output and lc_monetary are not reported by the server
    /// as DateStyle and IntervalStyle are), and the request it is part of is described first, since the statements
    /// after it in the same write would read the new forms.
    /// </summary>
    public static bool MayChangeTextOutput(string sql)
    {
        foreach (var name in TextOutputSettings)
            if (sql.Contains(name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static readonly string[] TextOutputSettings = ["extra_float_digits", "bytea_output", "lc_monetary", "datestyle", "intervalstyle"];
}
