using System.Globalization;
using System.Text;

namespace PgWire.LocalServer;

/// <summary>The SQL that gives every <see cref="LocalPostgresRole"/> its password, run once as the superuser after start.</summary>
internal static class RoleSetup
{
    public static string Sql()
    {
        var sql = new StringBuilder();
        sql.Append($"ALTER ROLE {LocalPostgresRoles.SuperuserName} PASSWORD {Literal(LocalPostgresRoles.SuperuserPassword)};\n");
        var roles = LocalPostgresRoles.All.Where(r => r != LocalPostgresRole.Superuser).ToList();
        foreach (var role in roles)
        {
            var name = LocalPostgresRoles.UserName(role);
            var password = LocalPostgresRoles.Password(role);
            // The server hashes a new password with password_encryption, SCRAM by default; an md5 pg_hba line
            // would then quietly run SCRAM instead, so the MD5 role's password must be stored as MD5.
            if (role == LocalPostgresRole.Md5)
                sql.Append("SET password_encryption = 'md5';\n");
            sql.Append($"CREATE ROLE {name} LOGIN CREATEDB");
            if (password is not null)
                sql.Append(" PASSWORD ").Append(Literal(password));
            sql.Append(";\n");
            if (role == LocalPostgresRole.Md5)
                sql.Append("RESET password_encryption;\n");
        }
        // Since PostgreSQL 15 only the database owner may create in schema public.
        var names = string.Join(", ", roles.Select(LocalPostgresRoles.UserName));
        sql.Append($"GRANT ALL ON SCHEMA public TO {names};\n");
        sql.Append($"GRANT ALL ON DATABASE postgres TO {names};\n");
        return sql.ToString();
    }

    /// <summary>
    /// A string constant that is pure ASCII whatever it holds (U&amp;'\00e4' for ä), so the non-ASCII password
    /// reaches the server intact whatever client encoding or locale psql ends up with.
    /// </summary>
    internal static string Literal(string value)
    {
        if (value.All(char.IsAscii))
            return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        var text = new StringBuilder("U&'");
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value == '\'')
                text.Append("''");
            else if (rune.Value == '\\')
                text.Append(@"\\");
            else if (rune.IsAscii)
                text.Append((char)rune.Value);
            else if (rune.IsBmp)
                text.Append('\\').Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture));
            else
                text.Append("\\+").Append(rune.Value.ToString("X6", CultureInfo.InvariantCulture));
        }
        return text.Append('\'').ToString();
    }
}
