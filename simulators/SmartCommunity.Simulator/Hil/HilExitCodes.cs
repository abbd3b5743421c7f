namespace SmartCommunity.Simulator.Hil;

/// <summary>Exit codes of the <c>sc-sim hil</c> commands (hardware-docs/hil.md).</summary>
public static class HilExitCodes
{
    public const int Ok = 0;

    /// <summary>The check ran and found a wiring fault.</summary>
    public const int WiringFault = 1;

    /// <summary>The check could not run: no GPIO, no such chip, libgpiod missing, a bad pin map or bad options.</summary>
    public const int CannotRun = 2;
}
