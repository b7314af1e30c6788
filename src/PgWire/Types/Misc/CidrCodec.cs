using System.Net;

namespace PgWire.Types;

/// <summary>
/// cidr as IPNetwork (the server guarantees no bit past the mask is set); also readable as PgInet, and as IPAddress
/// when the mask is full (/32 or /128).
/// </summary>
internal sealed class CidrCodec() : PgTypeCodec<IPNetwork>(MiscOids.Cidr, "cidr"), IPgReader<PgInet>, IPgReader<IPAddress>
{
    public override IPNetwork Read(ReadOnlySpan<byte> data, bool binary)
    {
        var value = InetBinary.Read(data, binary, DataTypeName);
        return value.IsNetwork ? value.ToIPNetwork() : throw InetBinary.NotANetwork(value, DataTypeName);
    }

    PgInet IPgReader<PgInet>.Read(ReadOnlySpan<byte> data, bool binary) => InetBinary.Read(data, binary, DataTypeName);

    IPAddress IPgReader<IPAddress>.Read(ReadOnlySpan<byte> data, bool binary)
    {
        var value = InetBinary.Read(data, binary, DataTypeName);
        return value.IsHost ? value.Address : throw InetBinary.NotAHost(value, DataTypeName, nameof(IPAddress));
    }

    public override int GetLength(IPNetwork value) => GetLength((object)value);

    public override void Write(IPNetwork value, Span<byte> destination) => Write((object)value, destination);

    public override int GetLength(object value) => InetBinary.GetLength(ToCidr(value));

    public override void Write(object value, Span<byte> destination) => InetBinary.Write(ToCidr(value), isCidr: true, destination);

    private PgInet ToCidr(object value)
    {
        var inet = InetBinary.Check(value switch
        {
            IPNetwork n => n,
            IPAddress a => new PgInet(a),
            PgInet i => i,
            // Only reached when the parameter names PgDbType.Cidr: a plain string is otherwise sent untyped.
            string s when PgInet.TryParse(s, out var parsed) => parsed,
            _ => throw Conversion.CannotWrite(value, DataTypeName),
        }, DataTypeName);
        return inet.IsNetwork ? inet : throw new PgConversionException(
            $"The value {inet} has bits set past its mask, which a cidr cannot hold (the server would refuse it); " +
            "send it as inet, or clear the host bits.", PgErrorCodes.InvalidBinaryRepresentation)
        {
            MessageWithoutValue = "The network address has bits set past its mask, which a cidr cannot hold (the server would refuse it); " +
                                  "send it as inet, or clear the host bits.",
        };
    }
}
