namespace PgWire.Protocol.Frontend;

/// <summary>The parameters of a Bind that has none: statements PgWire writes itself, such as the session reset.</summary>
internal sealed class NoBindParameters : IBindParameters
{
    public static readonly NoBindParameters Instance = new();

    private NoBindParameters() { }

    public int Count => 0;

    public short GetFormatCode(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    public int GetLength(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    public void Write(int index, Span<byte> destination) => throw new ArgumentOutOfRangeException(nameof(index));

    public int WriteUnsized(int index, WriteBuffer buffer) => throw new ArgumentOutOfRangeException(nameof(index));
}
