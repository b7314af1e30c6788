namespace PgWire.Protocol.Frontend;

/// <summary>
/// The frontend's COPY FROM STDIN messages: CopyData ('d') carrying any slice of the data stream (messages need not
/// align with rows), CopyDone ('c') ending it, CopyFail ('f') aborting it so that nothing of it is committed.
/// </summary>
internal static class CopyMessages
{
    public const byte CopyData = (byte)'d';

    /// <summary>Begins a CopyData message whose bytes the caller writes; <see cref="WriteBuffer.EndMessage"/> ends it.</summary>
    public static void StartCopyData(WriteBuffer buffer) => buffer.StartMessage(CopyData);

    public static void WriteCopyData(WriteBuffer buffer, ReadOnlySpan<byte> data)
    {
        buffer.StartMessage(CopyData);
        buffer.WriteBytes(data);
        buffer.EndMessage();
    }

    public static void WriteCopyDone(WriteBuffer buffer)
    {
        buffer.StartMessage((byte)'c');
        buffer.EndMessage();
    }

    public static void WriteCopyFail(WriteBuffer buffer, string reason)
    {
        buffer.StartMessage((byte)'f');
        buffer.WriteCString(reason.Replace('\0', ' '));
        buffer.EndMessage();
    }
}
