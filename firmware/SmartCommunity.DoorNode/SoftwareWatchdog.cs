namespace SmartCommunity.DoorNode;

using System.Diagnostics;
using System.Threading;
using nanoFramework.Runtime.Native;
using SmartCommunity.Firmware.Hal;

/// <summary>
/// Restarts the MCU when the main loop stops coming round, after releasing the door output itself. nanoFramework
/// exposes no managed API for the ESP32 hardware watchdog (README.md), so this is a thread of its own.
/// <para>
/// Staleness is counted in this thread's own ticks, not in wall time: if the whole runtime is held up (a long
/// native call such as a TLS handshake, a garbage collection), this thread is held up too and counts nothing, so
/// a slow network can never cause a reboot. Only a loop that stays silent while this thread keeps running does.
/// A reboot leaves the door released: the pin floats and its pull-down wins, and the firmware starts released.
/// </para>
/// </summary>
internal sealed class SoftwareWatchdog
{
    public const int TickMs = 1000;

    private readonly IDigitalOutput _output;
    private readonly int _ticksAllowed;
    private int _feeds;

    /// <param name="output">The door output to release before restarting.</param>
    /// <param name="ticksAllowed">Consecutive ticks of <see cref="TickMs"/> without a feed before the restart.</param>
    public SoftwareWatchdog(IDigitalOutput output, int ticksAllowed)
    {
        _output = output;
        _ticksAllowed = ticksAllowed;
    }

    public void Start()
    {
        new Thread(Run).Start();
    }

    /// <summary>Called once per loop iteration; allocation-free.</summary>
    public void Feed()
    {
        Interlocked.Increment(ref _feeds);
    }

    private void Run()
    {
        Interlocked.Exchange(ref _feeds, 0);
        int silentTicks = 0;
        while (true)
        {
            Thread.Sleep(TickMs);
            int feeds = Interlocked.Exchange(ref _feeds, 0);
            silentTicks = feeds == 0 ? silentTicks + 1 : 0;
            if (silentTicks >= _ticksAllowed)
            {
                _output.Write(false);
                Debug.WriteLine("watchdog: main loop silent for " + silentTicks.ToString() + " ticks, restarting");
                Power.RebootDevice();
            }
        }
    }
}
