namespace SmartCommunity.Edge.Safety;

/// <summary>What an operator's fire reset did.</summary>
public enum FireResetResult
{
    Reset,

    /// <summary>The building had no latched fire alarm.</summary>
    NotLatched,

    /// <summary>Refused: a door of the building still reads its fire input; the fire panel must be reset first.</summary>
    FireInputActive,
}
