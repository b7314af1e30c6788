using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PgWire;

/// <summary>
/// A PostgreSQL inet value: a host address together with its network mask length, such as 192.168.0.5/24.
/// Neither <see cref="IPAddress"/> (no mask) nor <see cref="IPNetwork"/> (no host bits) can hold such a value,
/// so PgWire reads it as this when nothing else fits; it also reads any inet or cidr value on request.
/// </summary>
public readonly record struct PgInet
{
    /// <summary>A value with the given address and mask length (0-32 for IPv4, 0-128 for IPv6).</summary>
    public PgInet(IPAddress address, byte netmask)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentException($"An inet value holds an IPv4 or IPv6 address, not {address.AddressFamily}.", nameof(address));
        int max = MaxNetmask(address);
        if (netmask > max)
            throw new ArgumentOutOfRangeException(nameof(netmask), netmask, $"The mask length of an {address.AddressFamily} address is at most {max}.");
        _address = address;
        Netmask = netmask;
    }

    /// <summary>A single host: the mask covers the whole address (/32 or /128).</summary>
    public PgInet(IPAddress address) : this(address, (byte)MaxNetmask(address)) { }

    private readonly IPAddress? _address;

    /// <summary>The address; 0.0.0.0 for <c>default(PgInet)</c>, which is 0.0.0.0/0.</summary>
    public IPAddress Address => _address ?? IPAddress.Any;

    /// <summary>The number of leading bits that form the network part.</summary>
    public byte Netmask { get; }

    /// <summary>Whether the value is a single host (a full mask), which an <see cref="IPAddress"/> holds without loss.</summary>
    public bool IsHost => Netmask == MaxNetmask(Address);

    /// <summary>Whether no bit past the mask is set, so an <see cref="IPNetwork"/> (or a cidr) holds the value without loss.</summary>
    public bool IsNetwork
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            Address.TryWriteBytes(bytes, out int length);
            for (int bit = Netmask; bit < 8 * length; bit++)
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) return false;
            return true;
        }
    }

    /// <summary>The network this value denotes; throws if bits past the mask are set (see <see cref="IsNetwork"/>).</summary>
    public IPNetwork ToIPNetwork() => IsNetwork
        ? new IPNetwork(Address, Netmask)
        : throw new InvalidOperationException($"{this} has bits set past its mask, which an IPNetwork cannot hold.");

    public bool Equals(PgInet other) => Netmask == other.Netmask && Address.Equals(other.Address);

    public override int GetHashCode() => HashCode.Combine(Address, Netmask);

    public static implicit operator PgInet(IPAddress address) => new(address);

    public static implicit operator PgInet(IPNetwork network) => new(network.BaseAddress, (byte)network.PrefixLength);

    /// <summary>PostgreSQL's inet text form: the address, and "/mask" unless the mask is full.</summary>
    public override string ToString() => IsHost
        ? Address.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{Address}/{Netmask}");

    /// <summary>Parses "address" or "address/mask".</summary>
    public static PgInet Parse(string s) =>
        TryParse(s, out var result) ? result : throw new FormatException($"'{s}' is not an inet value (address or address/mask).");

    public static bool TryParse([NotNullWhen(true)] string? s, out PgInet result)
    {
        result = default;
        if (s is null) return false;
        int slash = s.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? s : s[..slash], out var address)) return false;
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return false;
        int netmask = MaxNetmask(address);
        if (slash >= 0 && (!int.TryParse(s.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out netmask) || netmask > MaxNetmask(address)))
            return false;
        result = new PgInet(address, (byte)netmask);
        return true;
    }

    private static int MaxNetmask(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
}
