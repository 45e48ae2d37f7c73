using System.Runtime.InteropServices;

namespace Pwgf.Launcher;

/// <summary>Ctrl-C (SIGINT) and SIGTERM turned into a cancellation, so every command can tidy up before it exits.</summary>
internal sealed class Signals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public Signals()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    public CancellationToken Stop => _stop.Token;

    /// <summary>The first signal received, if any.</summary>
    public PosixSignal? Received { get; private set; }

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        Received ??= signal;
        _stop.Cancel();
    });

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
