using System.Text;

namespace PgWire;

/// <summary>
/// Writes the data of a text or CSV <c>COPY ... FROM STDIN</c> (from <see cref="PgConnection.BeginTextImport"/>), in
/// that format, as UTF-8. Disposing it completes the COPY (and throws when the server refused a row);
/// <see cref="Cancel"/> aborts it, so nothing of it is committed.
/// </summary>
public sealed class PgCopyTextWriter : StreamWriter
{
    private readonly PgRawCopyStream _stream;

    internal PgCopyTextWriter(PgRawCopyStream stream) : base(stream, new UTF8Encoding(false), bufferSize: 8192, leaveOpen: false) =>
        _stream = stream;

    /// <summary>
    /// Milliseconds each wait on the server may take from now on (Npgsql's Timeout): the connection's Command Timeout until
    /// set; <see cref="System.Threading.Timeout.Infinite"/> (or 0) for no limit. Counted in whole seconds, a part of a second as one.
    /// </summary>
    public int Timeout
    {
        get => _stream.ReadTimeout;
        set => _stream.ReadTimeout = value;
    }

    /// <summary>Aborts the COPY (CopyFail): nothing written is committed, and the connection stays usable.</summary>
    public void Cancel() => _stream.Cancel();

    /// <inheritdoc cref="Cancel"/>
    public Task CancelAsync() => _stream.CancelAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _stream.Finished)
        {
            // After Cancel the buffered text has nowhere to go: it is dropped, not flushed.
            _stream.Dispose();
            base.Dispose(false);
            return;
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_stream.Finished)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            base.Dispose(false);
            GC.SuppressFinalize(this);
            return;
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
