namespace SmartCommunity.Edge.Metering;

using System;
using System.IO.Ports;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// An M-Bus line on a serial port (System.IO.Ports): the UART of the edge box or a USB level converter, 8 data bits,
/// even parity, one stop bit at the bus's speed (hardware-docs/mbus-master.md §2). Parity, framing and overrun errors
/// the driver reports are handed to the master with the next read, which then throws the reply away.
/// </summary>
public sealed class SerialMBusLine : IMBusLine
{
    private readonly SerialPort _port;
    private int _lineErrors;

    private SerialMBusLine(SerialPort port)
    {
        _port = port;
        _port.ErrorReceived += (_, e) =>
        {
            if (e.EventType is SerialError.RXParity or SerialError.Frame or SerialError.Overrun or SerialError.RXOver)
            {
                Interlocked.Increment(ref _lineErrors);
            }
        };
    }

    public string Name => _port.PortName;

    /// <summary>Opens <paramref name="path"/> at <paramref name="baud"/> 8E1; throws (IOException, UnauthorizedAccessException, ...) when the device is missing or taken.</summary>
    public static SerialMBusLine Open(string path, int baud)
    {
        var port = new SerialPort(path, baud, Parity.Even, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadBufferSize = 4096,
            WriteTimeout = 5000,
        };
        var line = new SerialMBusLine(port);
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }

        return line;
    }

    public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _port.BaseStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _port.BaseStream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<MBusLineRead> ReadAsync(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A blocking read with the port's own timeout: on Linux it polls the descriptor, so nothing is lost when
        // it times out (a cancelled asynchronous read may be).
        return Task.Run(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read;
            try
            {
                _port.ReadTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalMilliseconds));
                read = _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                read = 0;
            }

            return new MBusLineRead(read, Interlocked.Exchange(ref _lineErrors, 0) > 0);
        }, cancellationToken);
    }

    public void DiscardInput()
    {
        _port.DiscardInBuffer();
    }

    public ValueTask DisposeAsync()
    {
        _port.Dispose();
        return ValueTask.CompletedTask;
    }
}
