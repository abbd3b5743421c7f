namespace SmartCommunity.Protocol.Osdp;

/// <summary>Raised by <see cref="OsdpControlPanel"/> on every link state change (not generic: nanoFramework runs no generics).</summary>
public delegate void OsdpStateChangedHandler(OsdpControlPanel panel, OsdpLinkState previous, OsdpLinkState current);
