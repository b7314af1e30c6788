using System.Runtime.InteropServices;

namespace PgWire.LocalServer;

/// <summary>
/// Runs an action when the process ends without disposing the server: a normal exit, an unhandled exception,
/// or a termination signal. Since .NET 10 the runtime no longer raises ProcessExit on SIGTERM, and an unhandled
/// exception never did, so each way out needs its own hook. Signals are not cancelled: the process still ends.
/// </summary>
internal sealed class ExitHooks : IDisposable
{
    private static readonly PosixSignal[] TerminationSignals = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP];

    private readonly Action _onExit;
    private readonly List<PosixSignalRegistration> _signals = [];

    public ExitHooks(Action onExit)
    {
        _onExit = onExit;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        foreach (var signal in TerminationSignals)
        {
            try
            {
                _signals.Add(PosixSignalRegistration.Create(signal, _ => _onExit()));
            }
            catch (PlatformNotSupportedException)
            {
                // No such signal here (some Windows console setups, mobile); the other hooks still apply.
            }
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        foreach (var signal in _signals)
            signal.Dispose();
        _signals.Clear();
    }

    private void OnProcessExit(object? sender, EventArgs e) => _onExit();

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        if (e.IsTerminating)
            _onExit();
    }
}
