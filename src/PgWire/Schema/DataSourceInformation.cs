using System.Data;
using System.Data.Common;
using System.Globalization;

namespace PgWire.Schema;

/// <summary>
/// The DataSourceInformation collection: how PostgreSQL spells identifiers, literals and parameter markers, as
/// tools that write SQL for any provider (and <see cref="DbCommandBuilder"/>) read them. The enumerations
/// (GroupByBehavior, IdentifierCase, SupportedJoinOperators) are stored as their int values, as other providers do.
/// </summary>
internal static class DataSourceInformation
{
    public static DataTable For(string serverVersion)
    {
        var table = new DataTable(DbMetaDataCollectionNames.DataSourceInformation);
        var c = table.Columns;
        c.Add(DbMetaDataColumnNames.CompositeIdentifierSeparatorPattern, typeof(string));
        c.Add(DbMetaDataColumnNames.DataSourceProductName, typeof(string));
        c.Add(DbMetaDataColumnNames.DataSourceProductVersion, typeof(string));
        c.Add(DbMetaDataColumnNames.DataSourceProductVersionNormalized, typeof(string));
        c.Add(DbMetaDataColumnNames.GroupByBehavior, typeof(int));
        c.Add(DbMetaDataColumnNames.IdentifierPattern, typeof(string));
        c.Add(DbMetaDataColumnNames.IdentifierCase, typeof(int));
        c.Add(DbMetaDataColumnNames.OrderByColumnsInSelect, typeof(bool));
        c.Add(DbMetaDataColumnNames.ParameterMarkerFormat, typeof(string));
        c.Add(DbMetaDataColumnNames.ParameterMarkerPattern, typeof(string));
        c.Add(DbMetaDataColumnNames.ParameterNameMaxLength, typeof(int));
        c.Add(DbMetaDataColumnNames.ParameterNamePattern, typeof(string));
        c.Add(DbMetaDataColumnNames.QuotedIdentifierPattern, typeof(string));
        c.Add(DbMetaDataColumnNames.QuotedIdentifierCase, typeof(int));
        c.Add(DbMetaDataColumnNames.StatementSeparatorPattern, typeof(string));
        c.Add(DbMetaDataColumnNames.StringLiteralPattern, typeof(string));
        c.Add(DbMetaDataColumnNames.SupportedJoinOperators, typeof(int));

        var row = table.NewRow();
        row[DbMetaDataColumnNames.CompositeIdentifierSeparatorPattern] = @"\.";
        row[DbMetaDataColumnNames.DataSourceProductName] = "PostgreSQL";
        row[DbMetaDataColumnNames.DataSourceProductVersion] = serverVersion;
        row[DbMetaDataColumnNames.DataSourceProductVersionNormalized] = Normalized(serverVersion);
        row[DbMetaDataColumnNames.GroupByBehavior] = (int)GroupByBehavior.Unrelated;
        // Unquoted identifiers fold to lower case; quoted ones keep their case and double an embedded quote.
        row[DbMetaDataColumnNames.IdentifierPattern] = @"(^[\p{L}_][\p{L}\p{Nd}_$]*$)|(^""([^""]|"""")+""$)";
        row[DbMetaDataColumnNames.IdentifierCase] = (int)IdentifierCase.Insensitive;
        row[DbMetaDataColumnNames.OrderByColumnsInSelect] = false;
        // Placeholders are positional ($1, $2, ...): a maximum name length of 0 tells DbCommandBuilder to number them.
        row[DbMetaDataColumnNames.ParameterMarkerFormat] = "${0}";
        row[DbMetaDataColumnNames.ParameterMarkerPattern] = @"\$[0-9]+";
        row[DbMetaDataColumnNames.ParameterNameMaxLength] = 0;
        row[DbMetaDataColumnNames.ParameterNamePattern] = "[0-9]+";
        row[DbMetaDataColumnNames.QuotedIdentifierPattern] = @"""(([^""]|"""")*)""";
        row[DbMetaDataColumnNames.QuotedIdentifierCase] = (int)IdentifierCase.Sensitive;
        row[DbMetaDataColumnNames.StatementSeparatorPattern] = ";";
        row[DbMetaDataColumnNames.StringLiteralPattern] = "'(([^']|'')*)'";
        row[DbMetaDataColumnNames.SupportedJoinOperators] = (int)(
            SupportedJoinOperators.Inner | SupportedJoinOperators.LeftOuter | SupportedJoinOperators.RightOuter | SupportedJoinOperators.FullOuter);
        table.Rows.Add(row);
        table.AcceptChanges();
        return table;
    }

    /// <summary>"15.18 (Debian 15.18-0+deb12u1)" as "015.0018", so that versions compare as strings.</summary>
    internal static string Normalized(string serverVersion)
    {
        int end = 0;
        while (end < serverVersion.Length && (char.IsAsciiDigit(serverVersion[end]) || serverVersion[end] == '.')) end++;
        var parts = serverVersion[..end].Split('.', StringSplitOptions.RemoveEmptyEntries);
        int major = 0, minor = 0;
        if (parts.Length > 0) int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out major);
        if (parts.Length > 1) int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
        return string.Create(CultureInfo.InvariantCulture, $"{major:D3}.{minor:D4}");
    }
}
