namespace SmartCommunity.Firmware.Hal;

/// <summary>
/// A digital input that counts only once it has held a new level for the debounce time (contact bounce,
/// a battery monitor flickering under the sounder's load). A missing input (null) reads inactive forever.
/// Shared by every device with buttons or contacts; an input already active at boot is reported as a change
/// once it has settled when <c>initial</c> is false.
/// </summary>
public sealed class DebouncedInput
{
    private readonly IDigitalInput _input;
    private readonly long _debounceMs;
    private bool _stable;
    private bool _candidate;
    private long _candidateSinceMs;

    /// <param name="initial">The level assumed before the first reading is confirmed.</param>
    public DebouncedInput(IDigitalInput input, long debounceMs, bool initial)
    {
        _input = input;
        _debounceMs = debounceMs < 0 ? 0 : debounceMs;
        _stable = initial;
        _candidate = initial;
    }

    public bool IsFitted => _input != null;

    public bool IsActive => _stable;

    /// <summary>Reads the input; returns true when the debounced level changed on this call.</summary>
    public bool Update(long nowMs)
    {
        if (_input == null)
        {
            return false;
        }

        bool active = _input.IsActive();
        if (active != _candidate)
        {
            _candidate = active;
            _candidateSinceMs = nowMs;
        }

        if (_candidate != _stable && nowMs - _candidateSinceMs >= _debounceMs)
        {
            _stable = _candidate;
            return true;
        }

        return false;
    }
}
