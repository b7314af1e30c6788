namespace PgWire.Schema;

/// <summary>
/// The catalog queries behind the GetSchema collections. Restrictions are parameters ($1, $2, ... in the order the
/// Restrictions collection lists them), NULL for "any"; values never enter the SQL. Objects of pg_catalog,
/// information_schema and the TOAST schemas are left out unless a Schema restriction names their schema.
/// </summary>
internal static class SchemaQueries
{
    public const string Databases = """
        SELECT d.datname AS database_name, pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding
        FROM pg_database d
        WHERE ($1::text IS NULL OR d.datname = $1::text)
        ORDER BY d.datname
        """;

    public const string Schemas = """
        SELECT current_database() AS catalog_name, n.nspname AS schema_name, pg_get_userbyid(n.nspowner) AS schema_owner
        FROM pg_namespace n
        WHERE ($1::text IS NULL OR $1::text = current_database())
          AND ($2::text IS NULL OR n.nspname = $2::text)
          AND n.nspname !~ '^pg_(toast|temp_)'
        ORDER BY n.nspname
        """;

    public const string Tables = """
        SELECT table_catalog, table_schema, table_name, table_type
        FROM information_schema.tables
        WHERE table_type <> 'VIEW'
          AND ($1::text IS NULL OR table_catalog = $1::text)
          AND (($2::text IS NULL AND table_schema NOT IN ('pg_catalog', 'information_schema')) OR table_schema = $2::text)
          AND ($3::text IS NULL OR table_name = $3::text)
          AND ($4::text IS NULL OR table_type = $4::text)
        ORDER BY table_schema, table_name
        """;

    public const string Views = """
        SELECT table_catalog, table_schema, table_name, check_option, is_updatable
        FROM information_schema.views
        WHERE ($1::text IS NULL OR table_catalog = $1::text)
          AND (($2::text IS NULL AND table_schema NOT IN ('pg_catalog', 'information_schema')) OR table_schema = $2::text)
          AND ($3::text IS NULL OR table_name = $3::text)
        ORDER BY table_schema, table_name
        """;

    public const string Columns = """
        SELECT table_catalog, table_schema, table_name, column_name, ordinal_position, column_default, is_nullable,
               data_type, character_maximum_length, character_octet_length, numeric_precision, numeric_precision_radix,
               numeric_scale, datetime_precision, domain_schema, domain_name, udt_schema, udt_name, is_identity, is_generated
        FROM information_schema.columns
        WHERE ($1::text IS NULL OR table_catalog = $1::text)
          AND (($2::text IS NULL AND table_schema NOT IN ('pg_catalog', 'information_schema')) OR table_schema = $2::text)
          AND ($3::text IS NULL OR table_name = $3::text)
          AND ($4::text IS NULL OR column_name = $4::text)
        ORDER BY table_schema, table_name, ordinal_position
        """;

    public const string Indexes = """
        SELECT current_database() AS table_catalog, n.nspname AS table_schema, t.relname AS table_name, i.relname AS index_name,
               am.amname AS index_type, ix.indisprimary AS is_primary, ix.indisunique AS is_unique,
               pg_get_indexdef(i.oid) AS definition
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_am am ON am.oid = i.relam
        WHERE ($1::text IS NULL OR $1::text = current_database())
          AND (($2::text IS NULL AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast')
               OR n.nspname = $2::text)
          AND ($3::text IS NULL OR t.relname = $3::text)
          AND ($4::text IS NULL OR i.relname = $4::text)
        ORDER BY n.nspname, t.relname, i.relname
        """;

    /// <summary>One row per column of an index; an expression's place has no column and no row. INCLUDE columns are marked.</summary>
    public const string IndexColumns = """
        SELECT current_database() AS table_catalog, n.nspname AS table_schema, t.relname AS table_name, i.relname AS index_name,
               a.attname AS column_name, k.ordinal::int AS ordinal_position, k.ordinal > ix.indnkeyatts AS is_included
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ordinal)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE ($1::text IS NULL OR $1::text = current_database())
          AND (($2::text IS NULL AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast')
               OR n.nspname = $2::text)
          AND ($3::text IS NULL OR t.relname = $3::text)
          AND ($4::text IS NULL OR i.relname = $4::text)
          AND ($5::text IS NULL OR a.attname = $5::text)
        ORDER BY n.nspname, t.relname, i.relname, k.ordinal
        """;

    /// <summary>One row per column of a foreign key, with the column it references.</summary>
    public const string ForeignKeys = """
        SELECT current_database() AS constraint_catalog, n.nspname AS constraint_schema, c.conname AS constraint_name,
               current_database() AS table_catalog, n.nspname AS table_schema, t.relname AS table_name,
               a.attname AS column_name, k.ordinal::int AS ordinal_position,
               rn.nspname AS referenced_table_schema, rt.relname AS referenced_table_name, ra.attname AS referenced_column_name,
               CASE c.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL' ELSE 'SIMPLE' END AS match_option,
               CASE c.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                                  WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS update_rule,
               CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                                  WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END AS delete_rule,
               c.condeferrable AS is_deferrable, c.condeferred AS initially_deferred
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_class rt ON rt.oid = c.confrelid
        JOIN pg_namespace rn ON rn.oid = rt.relnamespace
        CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, referenced_attnum, ordinal)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.referenced_attnum
        WHERE c.contype = 'f'
          AND ($1::text IS NULL OR $1::text = current_database())
          AND (($2::text IS NULL AND n.nspname NOT IN ('pg_catalog', 'information_schema')) OR n.nspname = $2::text)
          AND ($3::text IS NULL OR t.relname = $3::text)
          AND ($4::text IS NULL OR c.conname = $4::text)
        ORDER BY n.nspname, t.relname, c.conname, k.ordinal
        """;

    /// <summary>PostgreSQL's reserved key words (pg_get_keywords' category R), as the server being used knows them.</summary>
    public const string ReservedWords = """
        SELECT upper(word) AS "ReservedWord" FROM pg_get_keywords() WHERE catcode = 'R' ORDER BY 1
        """;

    /// <summary>
    /// The types a column can have: base, enum, range and multirange types and domains (not arrays, pseudo-types,
    /// composites or internal types), each with its base type for a domain.
    /// </summary>
    public const string DataTypes = """
        SELECT t.oid, format_type(t.oid, NULL) AS type_name, t.typlen, t.typcategory, t.typtype,
               CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END AS base_oid
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm') AND t.typcategory NOT IN ('A', 'C', 'P', 'X', 'Z') AND t.typisdefined
          AND n.nspname !~ '^pg_toast'
        ORDER BY 2
        """;
}
