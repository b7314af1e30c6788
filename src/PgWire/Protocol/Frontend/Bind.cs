using System.Text;

namespace PgWire.Protocol.Frontend;

/// <summary>Bind ('B'): binds parameter values to a prepared statement, creating a portal.</summary>
internal static class Bind
{
    /// <summary>Parameter counts travel as Int16 (read unsigned by the server).</summary>
    public const int MaxParameters = ushort.MaxValue;

    public static void CheckParameterCount(int count)
    {
        if (count > MaxParameters)
            throw new PgProtocolException(
                $"The command has {count:N0} parameters, but PostgreSQL accepts at most {MaxParameters:N0} in one statement. " +
                "Nothing was sent. Pass the values as an array parameter (WHERE id = ANY($1)) or use several statements.");
    }

    public static void Write(WriteBuffer buffer, string portal, string statementName, IBindParameters parameters,
        ReadOnlySpan<short> resultFormats)
    {
        int count = parameters.Count;
        CheckParameterCount(count);
        CheckParameterCount(resultFormats.Length);

        // Size the whole message first: an oversized one is refused before any of it is buffered.
        bool allText = true, allSame = true;
        short firstFormat = count > 0 ? parameters.GetFormatCode(0) : (short)0;
        long body = Encoding.UTF8.GetByteCount(portal) + 1L + Encoding.UTF8.GetByteCount(statementName) + 1 + 2 + 2 + 2
                    + 2L * resultFormats.Length;
        for (int i = 0; i < count; i++)
        {
            short format = parameters.GetFormatCode(i);
            if (format != 0) allText = false;
            if (format != firstFormat) allSame = false;
            int length = parameters.GetLength(i);
            body += 4 + Math.Max(length, 0);
        }
        int formatCodes = allText ? 0 : allSame ? 1 : count;
        body += 2L * formatCodes;
        WriteBuffer.CheckMessageLength(body);

        buffer.StartMessage((byte)'B');
        buffer.WriteCString(portal);
        buffer.WriteCString(statementName);
        buffer.WriteInt16((short)formatCodes);
        for (int i = 0; i < formatCodes; i++)
            buffer.WriteInt16(parameters.GetFormatCode(i));
        buffer.WriteUInt16((ushort)count);
        for (int i = 0; i < count; i++)
        {
            int length = parameters.GetLength(i);
            if (length == BindParameterLength.SizedWhileWritten)
            {
                // Streamed into the message as it is read; its length word is filled in after it (EndMessage checks the total).
                int at = buffer.Length;
                buffer.WriteInt32(0);
                buffer.PatchInt32(at, parameters.WriteUnsized(i, buffer));
                continue;
            }
            buffer.WriteInt32(length);
            if (length > 0)
                parameters.Write(i, buffer.GetSpan(length));
        }
        buffer.WriteUInt16((ushort)resultFormats.Length);
        foreach (short format in resultFormats)
            buffer.WriteInt16(format);
        buffer.EndMessage();
    }
}
