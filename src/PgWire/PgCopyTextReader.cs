using System.Text;

namespace PgWire;

/// <summary>
/// Reads the data of a text or CSV <c>COPY ... TO STDOUT</c> (from <see cref="PgConnection.BeginTextExport"/>), in that
/// format. Disposing it before the end (or <see cref="Cancel"/>) stops the COPY; the connection stays usable.
/// </summary>
public sealed class PgCopyTextReader : StreamReader
{
    private readonly PgRawCopyStream _stream;

    internal PgCopyTextReader(PgRawCopyStream stream) : base(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false,
        bufferSize: 8192, leaveOpen: false) => _stream = stream;

    /// <summary>
    /// Milliseconds each wait on the server may take from now on (Npgsql's Timeout): the connection's Command Timeout until
    /// set; <see cref="System.Threading.Timeout.Infinite"/> (or 0) for no limit. Counted in whole seconds, a part of a second as one.
    /// </summary>
    public int Timeout
    {
        get => _stream.ReadTimeout;
        set => _stream.ReadTimeout = value;
    }

    /// <summary>Stops the COPY before its end; the rest of its data is dropped and the connection stays usable.</summary>
    public void Cancel() => _stream.Cancel();

    /// <inheritdoc cref="Cancel"/>
    public Task CancelAsync() => _stream.CancelAsync();
}
