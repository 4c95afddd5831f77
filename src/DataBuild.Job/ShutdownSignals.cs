using System.Runtime.InteropServices;

namespace DataBuild.Job;

/// <summary>
/// Cancels <see cref="Token"/> on the first Ctrl-C (SIGINT) or SIGTERM, so a job can stop cleanly instead
/// of being killed mid-write. A second signal is left to the runtime, which ends the process at once.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        // Registrations first: a signal arriving now must not reach a disposed source.
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal) =>
        PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = !_source.IsCancellationRequested;
            _source.Cancel();
        });
}
