namespace SmartCommunity.Simulation.Hardware;

using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

/// <summary>
/// A Linux pseudo-terminal pair (openpty in libc, no system package needed): <see cref="DevicePath"/> is the slave
/// side, a serial device like /dev/ttyUSB0 that System.IO.Ports opens; this object reads and writes the other
/// side, where a virtual M-Bus meter answers (hardware-docs/mbus-master.md §7). A pseudo-terminal carries bytes
/// only: it has no baud rate, parity or framing of its own, so those faults are injected above it.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private const short PollIn = 0x001;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int EIO = 5;

    private readonly int _master;
    private readonly int _slave;
    private bool _disposed;

    private PseudoTerminal(int master, int slave, string path)
    {
        _master = master;
        _slave = slave;
        DevicePath = path;
    }

    /// <summary>The slave device, e.g. /dev/pts/3.</summary>
    public string DevicePath { get; }

    /// <summary>Whether pseudo-terminals can be made here (Linux with a usable /dev/ptmx).</summary>
    public static bool IsSupported(out string? why)
    {
        if (!OperatingSystem.IsLinux())
        {
            why = "pseudo-terminals through openpty are only wired for Linux";
            return false;
        }

        try
        {
            using PseudoTerminal pty = Open();
            why = null;
            return true;
        }
        catch (Exception ex) when (ex is Win32Exception or DllNotFoundException or EntryPointNotFoundException)
        {
            why = "openpty failed: " + ex.Message;
            return false;
        }
    }

    public static PseudoTerminal Open()
    {
        if (OpenPty(out int master, out int slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "openpty failed");
        }

        byte[] name = new byte[256];
        if (TtyName(slave, name, (nuint)name.Length) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            Close(master);
            Close(slave);
            throw new Win32Exception(error, "ttyname_r failed");
        }

        string path = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));

        // The slave stays open here too, so the master side never reads EIO while no serial port has it open.
        return new PseudoTerminal(master, slave, path);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for bytes from the serial port's side; returns how many were read (0: none came).</summary>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var poll = new PollFd { Fd = _master, Events = PollIn };
        int ready = Poll(ref poll, 1, timeoutMs);
        if (ready <= 0)
        {
            return 0;
        }

        nint read = ReadFd(_master, ref buffer[offset], (nuint)count);
        if (read < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error is EINTR or EAGAIN or EIO)
            {
                return 0;
            }

            throw new Win32Exception(error, "read from the pseudo-terminal failed");
        }

        return (int)read;
    }

    /// <summary>Sends bytes to the serial port's side.</summary>
    public void Write(byte[] bytes, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (count > 0)
        {
            nint written = WriteFd(_master, ref bytes[offset], (nuint)count);
            if (written < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error is EINTR or EAGAIN)
                {
                    continue;
                }

                throw new Win32Exception(error, "write to the pseudo-terminal failed");
            }

            offset += (int)written;
            count -= (int)written;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Close(_master);
        Close(_slave);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "openpty", SetLastError = true)]
    private static extern int OpenPty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr winsize);

    [DllImport("libc", EntryPoint = "ttyname_r", SetLastError = true)]
    private static extern int TtyName(int fd, [Out] byte[] buffer, nuint length);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollFd fds, nuint count, int timeoutMs);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint ReadFd(int fd, ref byte buffer, nuint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteFd(int fd, ref byte buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
