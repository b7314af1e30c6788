namespace PgWire.Tests.Connectivity;

/// <summary>What <see cref="FaultProxy"/> does to the message it is told to fault.</summary>
public enum ProxyFaultKind
{
    /// <summary>Relay everything as it comes.</summary>
    None,

    /// <summary>
    /// Relay nothing more in either direction from this message on (the message itself included), and keep both
    /// sockets open until the proxy is disposed: a network that goes silent without a reset or a FIN.
    /// </summary>
    Stall,

    /// <summary>
    /// Relay the message with bit 20 of its length field flipped (about 1 MiB more or less than its true length),
    /// then relay that direction's bytes as they come without framing them: the receiver misframes from here on.
    /// </summary>
    FlipLengthBit,
}

/// <summary>
/// The fault plan of a <see cref="FaultProxy"/>: at the message numbered <paramref name="At"/> (1 for the
/// StartupMessage) of the first main connection, do <paramref name="Kind"/>.
/// </summary>
public readonly record struct ProxyFault(int At, ProxyFaultKind Kind)
{
    /// <summary>No fault: the proxy relays and records.</summary>
    public static readonly ProxyFault None = new(0, ProxyFaultKind.None);

    /// <summary>The bit <see cref="ProxyFaultKind.FlipLengthBit"/> flips.</summary>
    public const int LengthBit = 0x00100000;

    public override string ToString() => Kind == ProxyFaultKind.None ? "no fault" : $"{Kind} at message #{At}";
}
