using System.Net;
using System.Net.Sockets;

namespace PgWire.LocalServer;

/// <summary>Asks the OS for a free TCP port on the loopback address.</summary>
internal static class FreePort
{
    /// <summary>
    /// Free now, not promised later: another process may take it before the server binds, which
    /// <see cref="LocalPostgres"/> handles by trying again with a new port.
    /// </summary>
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
