namespace PgWire.Protocol.Frontend;

/// <summary>Parse ('P'): a statement's SQL text and the OIDs of its parameters (0 lets the server infer).</summary>
internal static class Parse
{
    public static void Write(WriteBuffer buffer, string statementName, string sql, ReadOnlySpan<uint> parameterTypes)
    {
        Bind.CheckParameterCount(parameterTypes.Length);
        buffer.StartMessage((byte)'P');
        buffer.WriteCString(statementName);
        buffer.WriteCString(sql);
        buffer.WriteUInt16((ushort)parameterTypes.Length);
        foreach (uint oid in parameterTypes)
            buffer.WriteUInt32(oid);
        buffer.EndMessage();
    }
}
