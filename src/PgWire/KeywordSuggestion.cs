namespace PgWire;

/// <summary>
/// The known connection-string keyword nearest to a mistyped one, so that "Comand Timeout" is answered with
/// "Did you mean 'Command Timeout'?" rather than a list of sixty keywords.
/// </summary>
internal static class KeywordSuggestion
{
    /// <summary>
    /// The canonical name of the spelling (keyword or alias) closest to <paramref name="typed"/> by edit distance,
    /// ignoring case and spaces; null when even the closest differs in more than a third of its letters (at least two),
    /// since a suggestion that far off would mislead more than help.
    /// </summary>
    /// <param name="typed">The keyword as the connection string spelt it.</param>
    /// <param name="spellings">Each accepted spelling, squashed (no spaces), with the canonical keyword it stands for.</param>
    public static string? Nearest(string typed, IEnumerable<KeyValuePair<string, string>> spellings)
    {
        string wanted = Squash(typed);
        if (wanted.Length == 0) return null;
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var (spelling, canonical) in spellings)
        {
            int distance = EditDistance(wanted, Squash(spelling));
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = canonical;
            }
        }
        return bestDistance <= Math.Max(2, wanted.Length / 3) ? best : null;
    }

    private static string Squash(string s) => s.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Levenshtein distance: the fewest insertions, deletions and substitutions that turn one into the other.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
