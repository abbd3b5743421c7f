namespace SmartCommunity.Firmware.Devices.LeakValve;

using SmartCommunity.Firmware.Boot;

/// <summary>
/// Leak sensor and valve parameters, from the device configuration bundle (hardware-docs/leak-valve.md,
/// "Parameters"; bundle keys are the same names in camelCase).
/// </summary>
public sealed class LeakValveSettings
{
    /// <summary>The probe must read water without a break this long before it is a leak (splashes, condensation).</summary>
    public long LeakConfirmMs = 2000;

    /// <summary>The probe must read dry without a break this long before a leak is reported cleared.</summary>
    public long DryConfirmMs = 10000;

    /// <summary>A full move must reach its limit switch within this time, or the valve is stuck.</summary>
    public long TravelMs = 20000;

    /// <summary>Uptime between two exercises of an open valve; 0 turns the exercise off.</summary>
    public long ExerciseIntervalMs = 7L * 24 * 60 * 60 * 1000;

    /// <summary>During an exercise the open switch must release within this time, or the valve is seized.</summary>
    public long ExerciseMs = 5000;

    /// <summary>Further close attempts after a close that got stuck (so 1 + this many attempts in all).</summary>
    public int CloseRetries = 2;

    /// <summary>Rest between a stuck close and its retry, so the motor cools down.</summary>
    public long CloseRetryPauseMs = 30000;

    /// <summary>Both motor outputs stay off this long before the motor is driven again (no reversal under load).</summary>
    public long ReversePauseMs = 200;

    /// <summary>A new limit switch reading must hold this long before it counts, outside a move.</summary>
    public long SwitchDebounceMs = 50;

    /// <summary>The reset button must be pressed (and released) this long before it counts.</summary>
    public long ButtonDebounceMs = 50;

    /// <summary>Period of the state heartbeat.</summary>
    public long HeartbeatMs = 30000;

    /// <summary>The settings from a device's parameters (the bundle's "params", or the layout's); anything not given keeps its default.</summary>
    public static LeakValveSettings Read(IParameterSource parameters)
    {
        LeakValveSettings s = new LeakValveSettings();
        s.LeakConfirmMs = parameters.Parameter("leakConfirmMs", s.LeakConfirmMs);
        s.DryConfirmMs = parameters.Parameter("dryConfirmMs", s.DryConfirmMs);
        s.TravelMs = parameters.Parameter("travelMs", s.TravelMs);
        s.ExerciseIntervalMs = parameters.Parameter("exerciseIntervalMs", s.ExerciseIntervalMs);
        s.ExerciseMs = parameters.Parameter("exerciseMs", s.ExerciseMs);
        s.CloseRetries = (int)parameters.Parameter("closeRetries", s.CloseRetries);
        s.CloseRetryPauseMs = parameters.Parameter("closeRetryPauseMs", s.CloseRetryPauseMs);
        s.ReversePauseMs = parameters.Parameter("reversePauseMs", s.ReversePauseMs);
        s.SwitchDebounceMs = parameters.Parameter("switchDebounceMs", s.SwitchDebounceMs);
        s.ButtonDebounceMs = parameters.Parameter("buttonDebounceMs", s.ButtonDebounceMs);
        s.HeartbeatMs = parameters.Parameter("heartbeatMs", s.HeartbeatMs);
        return s;
    }
}
