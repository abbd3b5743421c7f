namespace SmartCommunity.Simulator.Hil;

using System;

/// <summary>The bench cannot reach GPIO at all (no chip, no libgpiod, no permission); the message says what to do.</summary>
public sealed class GpioUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
