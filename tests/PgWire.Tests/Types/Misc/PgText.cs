using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PgWire.Tests.Types.Misc;

/// <summary>
/// The text PostgreSQL prints for values of the miscellaneous types, computed here from first principles (the rules of
/// the server's output functions), so a property test compares the server against something PgWire did not produce.
/// </summary>
internal static class PgText
{
    /// <summary>inet_out / cidr_out (network.c with src/port/inet_net_ntop.c).</summary>
    public static string Inet(byte[] address, int bits, bool cidr)
    {
        string text = address.Length == 4 ? IPv4(address, bits) : IPv6(address, bits);
        return cidr && !text.Contains('/') ? text + "/" + bits.ToString(CultureInfo.InvariantCulture) : text;
    }

    public static string Inet(PgInet value, bool cidr = false) => Inet(value.Address.GetAddressBytes(), value.Netmask, cidr);

    private static string IPv4(byte[] a, int bits)
    {
        string text = string.Join('.', a.Select(b => b.ToString(CultureInfo.InvariantCulture)));
        return bits == 32 ? text : text + "/" + bits.ToString(CultureInfo.InvariantCulture);
    }

    private static string IPv6(byte[] a, int bits)
    {
        var words = new int[8];
        for (int i = 0; i < 8; i++) words[i] = a[2 * i] << 8 | a[2 * i + 1];
        // The longest run of zero words (the first of equal runs), if at least two long, becomes "::".
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++)
        {
            if (words[i] == 0)
            {
                if (curBase == -1) (curBase, curLen) = (i, 1);
                else curLen++;
            }
            else if (curBase != -1)
            {
                if (bestBase == -1 || curLen > bestLen) (bestBase, bestLen) = (curBase, curLen);
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) (bestBase, bestLen) = (curBase, curLen);
        if (bestBase != -1 && bestLen < 2) bestBase = -1;

        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen)
            {
                if (i == bestBase) sb.Append(':');
                continue;
            }
            if (i != 0) sb.Append(':');
            // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses end in dotted form.
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 7 && words[7] != 1) || (bestLen == 5 && words[5] == 0xffff)))
            {
                sb.Append(string.Join('.', a[12..].Select(b => b.ToString(CultureInfo.InvariantCulture))));
                break;
            }
            sb.Append(words[i].ToString("x", CultureInfo.InvariantCulture));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) sb.Append(':');
        if (bits != 128) sb.Append('/').Append(bits.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>macaddr_out / macaddr8_out: lower-case hex pairs joined by colons.</summary>
    public static string MacAddr(byte[] bytes) => string.Join(':', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>bit_out: one character a bit, first bit first.</summary>
    public static string Bits(bool[] bits) => new(bits.Select(b => b ? '1' : '0').ToArray());

    /// <summary>cash_out under lc_monetary C: "$", thousands separated by ",", two decimals, a leading "-".</summary>
    public static string Money(long cents)
    {
        bool negative = cents < 0;
        // |long.MinValue| does not fit long: work on the unsigned magnitude.
        ulong magnitude = negative ? (ulong)(-(cents + 1)) + 1 : (ulong)cents;
        string whole = (magnitude / 100).ToString(CultureInfo.InvariantCulture);
        var grouped = new StringBuilder();
        for (int i = 0; i < whole.Length; i++)
        {
            if (i > 0 && (whole.Length - i) % 3 == 0) grouped.Append(',');
            grouped.Append(whole[i]);
        }
        return (negative ? "-$" : "$") + grouped + "." + (magnitude % 100).ToString("D2", CultureInfo.InvariantCulture);
    }

    /// <summary>pg_lsn_out: high and low 32 bits in upper-case hex, "%X/%X".</summary>
    public static string Lsn(ulong value) => $"{value >> 32:X}/{value & 0xFFFFFFFF:X}";

    public static bool IsIPv6(this PgInet value) => value.Address.AddressFamily == AddressFamily.InterNetworkV6;
}
