namespace PgWire.Protocol.Backend;

/// <summary>The transaction status carried by ReadyForQuery ('Z').</summary>
internal enum TransactionStatus : byte
{
    Idle = (byte)'I',
    InTransaction = (byte)'T',
    Failed = (byte)'E',
}

internal static class ReadyForQuery
{
    public static TransactionStatus Parse(ReadOnlySpan<byte> body)
    {
        var reader = new MessageReader(body, BackendMessageCode.ReadyForQuery);
        var status = (TransactionStatus)reader.ReadByte();
        reader.ExpectEnd();
        if (status is not (TransactionStatus.Idle or TransactionStatus.InTransaction or TransactionStatus.Failed))
            throw reader.Violation($"an unknown transaction status '{(char)status}'");
        return status;
    }
}
