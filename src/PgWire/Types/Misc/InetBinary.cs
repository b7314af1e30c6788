using System.Net;
using System.Net.Sockets;

namespace PgWire.Types;

/// <summary>
/// The wire form shared by inet and cidr (network_send/network_recv in network.c): a family byte (2 for IPv4, 3 for
/// IPv6: PostgreSQL's own numbering, not the operating system's), the mask length, an is-cidr flag, the address
/// length, and the address bytes in network order.
/// </summary>
internal static class InetBinary
{
    private const byte FamilyIPv4 = 2;
    private const byte FamilyIPv6 = 3;

    public static PgInet Read(ReadOnlySpan<byte> data, bool binary, string dataTypeName)
    {
        if (!binary)
            return PgInet.TryParse(System.Text.Encoding.UTF8.GetString(data), out var parsed) ? parsed : throw Conversion.BadText(dataTypeName, data);
        if (data.Length < 4) throw Conversion.BadLength(dataTypeName, data.Length, 8);
        int addressLength = data[0] switch
        {
            FamilyIPv4 => 4,
            FamilyIPv6 => 16,
            _ => throw new PgProtocolException($"The server sent a binary {dataTypeName} value of unknown address family {data[0]}."),
        };
        if (data[3] != addressLength || data.Length != 4 + addressLength)
            throw Conversion.BadLength(dataTypeName, data.Length, 4 + addressLength);
        if (data[1] > 8 * addressLength)
            throw new PgProtocolException($"The server sent a binary {dataTypeName} value with mask length {data[1]} for a {8 * addressLength}-bit address.");
        return new PgInet(new IPAddress(data.Slice(4, addressLength)), data[1]);
    }

    public static int GetLength(PgInet value) => value.Address.AddressFamily == AddressFamily.InterNetworkV6 ? 20 : 8;

    public static void Write(PgInet value, bool isCidr, Span<byte> destination)
    {
        bool v6 = value.Address.AddressFamily == AddressFamily.InterNetworkV6;
        destination[0] = v6 ? FamilyIPv6 : FamilyIPv4;
        destination[1] = value.Netmask;
        destination[2] = isCidr ? (byte)1 : (byte)0;
        destination[3] = v6 ? (byte)16 : (byte)4;
        value.Address.TryWriteBytes(destination[4..], out _);
    }

    /// <summary>The value as PgInet, refusing what PostgreSQL would drop or reject.</summary>
    public static PgInet Check(PgInet value, string dataTypeName)
    {
        if (value.Address.AddressFamily == AddressFamily.InterNetworkV6 && value.Address.ScopeId != 0)
            throw new PgConversionException(
                $"The address {value.Address} has a zone index (%{value.Address.ScopeId}), which PostgreSQL's {dataTypeName} cannot hold; " +
                "clear it (ScopeId = 0) to send the address without it.", PgErrorCodes.DatatypeMismatch)
            {
                MessageWithoutValue = $"The IPv6 address has a zone index, which PostgreSQL's {dataTypeName} cannot hold; " +
                                      "clear it (ScopeId = 0) to send the address without it.",
            };
        return value;
    }

    public static PgConversionException NotAHost(PgInet value, string dataTypeName, string requested) =>
        new($"The {dataTypeName} value {value} has a network mask, which {requested} cannot hold; read it as " +
            (value.IsNetwork ? "IPNetwork or PgInet." : "PgInet (its host bits rule out IPNetwork)."),
            PgErrorCodes.DatatypeMismatch);

    public static PgConversionException NotANetwork(PgInet value, string dataTypeName) =>
        new($"The {dataTypeName} value {value} has bits set past its mask, which IPNetwork cannot hold; read it as PgInet.",
            PgErrorCodes.DatatypeMismatch);
}
