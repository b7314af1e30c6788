using PgWire.Connection;
using PgWire.Sql;
using PgWire.Types;

namespace PgWire;

/// <summary>
/// An ADO.NET command's text read for sending (<see cref="ParsedSql"/>) and matched with its parameters: with named
/// placeholders, which parameter each name stands for. A command keeps one between runs, so a command whose text and
/// parameter names did not change reads and matches nothing again; checking that costs a reference comparison for
/// the text and one per parameter, and allocates nothing.
/// </summary>
/// <remarks>
/// <para>The rules, which the README states for users: the text binds by name when it has @name or :name
/// placeholders, and then every parameter must have a name; a name may appear any number of times and is sent once
/// per statement; names match ParameterName with or without its prefix, ignoring case; a name with no parameter is
/// an error, a parameter the text does not use is not sent. A text with $n placeholders binds the parameters in order,
/// whatever their names. A text without placeholders binds none when every parameter has a name (none is used).</para>
/// <para>Not thread-safe, as the command that owns it is not.</para>
/// </remarks>
internal sealed class CommandTextBinding(ParsedSqlCache cache)
{
    /// <summary>At most this many parameter names are listed in the message for a name with no parameter.</summary>
    private const int NamesListed = 10;

    private string? _text;
    private ParsedSql _parsed = ParsedSql.NoPlaceholders;

    /// <summary>For each name of <see cref="_parsed"/>, the index of the parameter it stands for.</summary>
    private int[] _parameterOfName = [];

    /// <summary>
    /// Each parameter's ParameterName when the parameters were last matched, the very string objects, so that an
    /// unchanged collection is recognized without comparing text; null when they must be matched again.
    /// </summary>
    private string[]? _namesMatched;

    /// <summary>The text has no placeholders and every parameter a name: none is sent.</summary>
    private bool _bindsNone;

    /// <summary>
    /// Reads <paramref name="text"/> and matches its placeholders with <paramref name="parameters"/>, unless both are
    /// as at the last call. Called before anything is bound or sent, so a mistake here leaves the connection untouched.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The text mixes $n and named placeholders, uses a name no parameter has, or binds by name and a parameter has
    /// no name or shares its name with another.
    /// </exception>
    public void Resolve(string text, PgParameterCollection parameters)
    {
        if (!ReferenceEquals(text, _text))
        {
            _parsed = cache.Get(text);
            _text = text;
            _namesMatched = null;
        }
        if (!NamesUnchanged(parameters)) Match(parameters);
    }

    /// <summary>Adds the text's statements to <paramref name="request"/> with the parameters each uses, bound.</summary>
    public void Fill(CommandRequest request, string text, PgParameterCollection parameters, PgTypeRegistry registry)
    {
        Resolve(text, parameters);
        var statements = _parsed.Statements;
        if (statements is null)
        {
            var bound = request.Add(text);
            if (!_bindsNone) CommandText.Bind(bound, parameters, registry);
        }
        else if (!_parsed.IsNamed)
        {
            CommandText.Fill(request, text, statements, parameters, registry);
        }
        else
        {
            // By index: a foreach over the interface would allocate an enumerator every run.
            for (int s = 0; s < statements.Count; s++)
            {
                var statement = statements[s];
                var bound = request.Add(statement.Sql);
                foreach (int name in statement.ParameterIndexes) parameters[_parameterOfName[name]].Bind(bound, registry);
            }
        }
    }

    /// <summary>
    /// The one statement the text sends and the parameters bound to its $1..$k in order, for finding what the connection
    /// knows of it; false when the text is not valid for the parameters or sends several statements.
    /// </summary>
    public bool TryGetSingleStatement(string text, PgParameterCollection parameters, out string sql, out IReadOnlyList<object?> arguments)
    {
        sql = text;
        arguments = parameters;
        try
        {
            Resolve(text, parameters);
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (_parsed.Statements is not { } statements)
        {
            if (_bindsNone) arguments = [];
            return true;
        }
        if (statements.Count != 1) return false;

        var statement = statements[0];
        sql = statement.Sql;
        var ordered = new object?[statement.ParameterIndexes.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            int index = statement.ParameterIndexes[i];
            ordered[i] = parameters[_parsed.IsNamed ? _parameterOfName[index] : index];
        }
        arguments = ordered;
        return true;
    }

    private bool NamesUnchanged(PgParameterCollection parameters)
    {
        if (_namesMatched is not { } names || names.Length != parameters.Count) return false;
        for (int i = 0; i < names.Length; i++)
            if (!ReferenceEquals(names[i], parameters[i].ParameterName)) return false;
        return true;
    }

    private void Match(PgParameterCollection parameters)
    {
        _namesMatched = null;
        _bindsNone = false;
        if (_parsed.IsNamed) MatchNames(parameters);
        else if (!_parsed.HasPlaceholders && parameters.Count > 0 && EveryParameterNamed(parameters)) _bindsNone = true;

        var names = new string[parameters.Count];
        for (int i = 0; i < names.Length; i++) names[i] = parameters[i].ParameterName;
        _namesMatched = names;
    }

    private static bool EveryParameterNamed(PgParameterCollection parameters)
    {
        for (int i = 0; i < parameters.Count; i++)
            if (PgParameterCollection.NameOf(parameters[i].ParameterName).IsEmpty) return false;
        return true;
    }

    private void MatchNames(PgParameterCollection parameters)
    {
        var parsed = _parsed;
        if (_parameterOfName.Length != parsed.Names.Length) _parameterOfName = new int[parsed.Names.Length];
        var parameterOfName = _parameterOfName;
        parameterOfName.AsSpan().Fill(-1);

        for (int i = 0; i < parameters.Count; i++)
        {
            ReadOnlySpan<char> name = PgParameterCollection.NameOf(parameters[i].ParameterName);
            if (name.IsEmpty)
                throw new ArgumentException(
                    $"Parameter {i + 1} of the command has no ParameterName, but the command text binds its parameters by name " +
                    $"({parsed.Placeholders[0]}): give every parameter the name its placeholder uses.");
            int slot = parsed.SlotOf(name);
            // A parameter the text does not use is not sent, as with other ADO.NET providers.
            if (slot < 0) continue;
            if (parameterOfName[slot] >= 0)
                throw new ArgumentException(
                    $"Parameters {parameterOfName[slot] + 1} and {i + 1} of the command are both named '{parsed.Names[slot]}' " +
                    $"(names are matched ignoring case), so {parsed.Placeholders[slot]} in the command text is ambiguous.");
            parameterOfName[slot] = i;
        }

        for (int slot = 0; slot < parameterOfName.Length; slot++)
            if (parameterOfName[slot] < 0) throw NoParameterNamed(parsed, slot, parameters);
    }

    private static ArgumentException NoParameterNamed(ParsedSql parsed, int slot, PgParameterCollection parameters)
    {
        string placeholder = parsed.Placeholders[slot];
        string name = parsed.Names[slot];
        if (parameters.Count == 0)
        {
            string operatorHint = placeholder[0] == '@'
                ? $" (For PostgreSQL's absolute-value operator write @ {name}, with a space, or abs({name}).)"
                : "";
            return new ArgumentException(
                $"The command text uses the parameter {placeholder}, but the command has no parameters: add one named '{name}'." +
                operatorHint);
        }

        var listed = new List<string>(Math.Min(parameters.Count, NamesListed));
        for (int i = 0; i < parameters.Count && i < NamesListed; i++) listed.Add($"'{parameters[i].ParameterName}'");
        string more = parameters.Count > NamesListed ? $" and {parameters.Count - NamesListed} more" : "";
        return new ArgumentException(
            $"The command text uses the parameter {placeholder}, but no parameter of the command is named '{name}' " +
            $"(it has {string.Join(", ", listed)}{more}).");
    }
}
