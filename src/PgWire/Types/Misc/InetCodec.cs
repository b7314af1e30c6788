using System.Net;

namespace PgWire.Types;

/// <summary>
/// inet as IPAddress when the value is a single host (/32 or /128); also readable as PgInet (always) and IPNetwork
/// (when no bit past the mask is set). An inet with a shorter mask read as IPAddress is an error rather than a lost
/// mask; read without a type (GetValue, the native API's rows) it arrives as PgInet.
/// </summary>
internal sealed class InetCodec() : PgTypeCodec<IPAddress>(MiscOids.Inet, "inet"), IPgReader<PgInet>, IPgReader<IPNetwork>
{
    public override IPAddress Read(ReadOnlySpan<byte> data, bool binary)
    {
        var value = InetBinary.Read(data, binary, DataTypeName);
        return value.IsHost ? value.Address : throw InetBinary.NotAHost(value, DataTypeName, nameof(IPAddress));
    }

    public override object ReadObject(ReadOnlySpan<byte> data, bool binary)
    {
        var value = InetBinary.Read(data, binary, DataTypeName);
        // object on both branches: PgInet converts implicitly from IPAddress, which would box every value as PgInet.
        return value.IsHost ? value.Address : (object)value;
    }

    PgInet IPgReader<PgInet>.Read(ReadOnlySpan<byte> data, bool binary) => InetBinary.Read(data, binary, DataTypeName);

    IPNetwork IPgReader<IPNetwork>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        var value = InetBinary.Read(data, binary, DataTypeName);
        return value.IsNetwork ? value.ToIPNetwork() : throw InetBinary.NotANetwork(value, DataTypeName);
    }

    public override int GetLength(IPAddress value) => GetLength((object)value);

    public override void Write(IPAddress value, Span<byte> destination) => Write((object)value, destination);

    public override int GetLength(object value) => InetBinary.GetLength(ToInet(value));

    public override void Write(object value, Span<byte> destination) => InetBinary.Write(ToInet(value), isCidr: false, destination);

    private PgInet ToInet(object value) => InetBinary.Check(value switch
    {
        IPAddress a => new PgInet(a),
        PgInet i => i,
        IPNetwork n => n,
        // Only reached when the parameter names PgDbType.Inet: a plain string is otherwise sent untyped.
        string s when PgInet.TryParse(s, out var parsed) => parsed,
        _ => throw Conversion.CannotWrite(value, DataTypeName),
    }, DataTypeName);
}
