using System.Buffers;
using System.Text;

namespace PgWire.Auth;

/// <summary>
/// SASLprep (RFC 4013), the stringprep (RFC 3454) profile that SCRAM applies to passwords, in the
/// exact variant PostgreSQL implements (<c>pg_saslprep</c> in src/common/saslprep.c). The server
/// prepares a password with that function when it builds a SCRAM secret, so the client has to reach
/// the same bytes or a correct password is refused.
/// </summary>
/// <remarks>
/// Where PostgreSQL reads the RFCs in a particular way, this class follows PostgreSQL:
/// <list type="bullet">
/// <item>U+200B ZERO WIDTH SPACE is in both C.1.2 (map to space) and B.1 (map to nothing); the space
/// mapping is tried first, so it becomes U+0020.</item>
/// <item>Unassigned code points (Table A.1, relative to Unicode 3.2) are prohibited, as RFC 3454
/// section 7 asks for stored strings: a SCRAM secret is a stored string.</item>
/// <item>The prohibition and bidi checks look at the mapped string before NFKC normalization; the
/// output is the normalized string.</item>
/// <item>A non-empty password that maps to nothing is refused rather than prepared to "".</item>
/// </list>
/// Refusal is not an error: the caller then uses the password's UTF-8 bytes unchanged, which is what
/// the server does too (see <see cref="ScramSha256Client.NormalizePassword"/>).
/// </remarks>
internal static class SaslPrep
{
    /// <summary>
    /// Prepares <paramref name="input"/> with SASLprep. Returns false when the string is not valid
    /// UTF-16 or holds a prohibited character or violates the bidi rules; nothing is thrown.
    /// </summary>
    public static bool TryPrepare(string input, out string prepared)
    {
        ArgumentNullException.ThrowIfNull(input);
        prepared = string.Empty;
        if (input.Length == 0)
        {
            return true;
        }

        // One code point never takes more than the two UTF-16 units it was read from, so input.Length bounds the count.
        int[] rented = ArrayPool<int>.Shared.Rent(input.Length);
        try
        {
            Span<int> codePoints = rented.AsSpan(0, input.Length);
            if (!TryMap(input, codePoints, out int count))
            {
                return false;
            }

            ReadOnlySpan<int> mapped = codePoints[..count];
            if (mapped.IsEmpty || ContainsProhibited(mapped) || ViolatesBidiRules(mapped))
            {
                return false;
            }

            prepared = NormalizeKc(mapped);
            return true;
        }
        finally
        {
            // The code points are the password's: clear them before the array goes back to the shared pool.
            rented.AsSpan(0, input.Length).Clear();
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    // RFC 3454 section 3 with RFC 4013 section 2.1's two mappings; decodes surrogate pairs on the way.
    private static bool TryMap(string input, Span<int> output, out int count)
    {
        count = 0;
        ReadOnlySpan<char> rest = input;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out Rune rune, out int consumed) != OperationStatus.Done)
            {
                return false; // a lone surrogate: no UTF-8 form exists, so nothing to prepare
            }

            rest = rest[consumed..];
            int codePoint = rune.Value;
            if (SaslPrepTables.Contains(SaslPrepTables.TableC12, codePoint))
            {
                output[count++] = ' ';
            }
            else if (!SaslPrepTables.Contains(SaslPrepTables.TableB1, codePoint))
            {
                output[count++] = codePoint;
            }
        }

        return true;
    }

    // RFC 4013 section 2.3 (C.1.2, C.2.1, C.2.2, C.3 to C.9) and 2.5 (A.1, see the class remarks).
    private static bool ContainsProhibited(ReadOnlySpan<int> codePoints)
    {
        foreach (int codePoint in codePoints)
        {
            if (IsProhibited(codePoint))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsProhibited(int codePoint) =>
        SaslPrepTables.Contains(SaslPrepTables.TableC12, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC21, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC22, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC3, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC4, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC5, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC6, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC7, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC8, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableC9, codePoint)
        || SaslPrepTables.Contains(SaslPrepTables.TableA1, codePoint);

    // RFC 3454 section 6: a string with any RandALCat character has no LCat character, and starts and ends with RandALCat.
    private static bool ViolatesBidiRules(ReadOnlySpan<int> codePoints)
    {
        bool hasRandALCat = false;
        foreach (int codePoint in codePoints)
        {
            if (SaslPrepTables.Contains(SaslPrepTables.TableD1, codePoint))
            {
                hasRandALCat = true;
                break;
            }
        }

        if (!hasRandALCat)
        {
            return false;
        }

        foreach (int codePoint in codePoints)
        {
            if (SaslPrepTables.Contains(SaslPrepTables.TableD2, codePoint))
            {
                return true;
            }
        }

        return !SaslPrepTables.Contains(SaslPrepTables.TableD1, codePoints[0])
            || !SaslPrepTables.Contains(SaslPrepTables.TableD1, codePoints[^1]);
    }

    private static string NormalizeKc(ReadOnlySpan<int> codePoints)
    {
        char[] rented = ArrayPool<char>.Shared.Rent(codePoints.Length * 2);
        string mapped;
        try
        {
            int length = 0;
            foreach (int codePoint in codePoints)
            {
                length += new Rune(codePoint).EncodeToUtf16(rented.AsSpan(length));
            }

            mapped = new string(rented, 0, length);
        }
        finally
        {
            rented.AsSpan().Clear();
            ArrayPool<char>.Shared.Return(rented);
        }

        // In a globalization-invariant process .NET leaves non-ASCII text unnormalized without an error; such a
        // process still matches the server for every password that is already in NFKC, as most are.
        return mapped.Normalize(NormalizationForm.FormKC);
    }
}
