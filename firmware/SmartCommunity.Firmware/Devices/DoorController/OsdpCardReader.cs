namespace SmartCommunity.Firmware.Devices.DoorController;

using System;
using SmartCommunity.Protocol.Osdp;

/// <summary>
/// An OSDP v2 reader as the controller's <see cref="ICardReader"/> (hardware-docs/osdp.md,
/// hardware-docs/door-controller.md "Reader feedback"). The link itself is the portable
/// <see cref="OsdpControlPanel"/>: the board loop (or the simulator) feeds it the UART's bytes through
/// <see cref="OsdpControlPanel.Receive"/> and steps it; this adapter only hands over the reads the panel accepted
/// and turns the controller's decisions into the panel's grant and deny feedback.
/// </summary>
/// <remarks>
/// The panel refuses malformed, mis-checked or unauthenticated reads itself and counts them
/// (<see cref="OsdpControlPanel.RejectedReplies"/>, <see cref="OsdpControlPanel.CardReadsRejected"/>), so every
/// read taken here is a good one; none comes out as a bad frame.
/// </remarks>
public sealed class OsdpCardReader : ICardReader
{
    private readonly OsdpControlPanel _panel;
    private readonly OsdpCardRead _osdpRead = new OsdpCardRead();

    public OsdpCardReader(OsdpControlPanel panel)
    {
        if (panel == null)
        {
            throw new ArgumentNullException(nameof(panel));
        }

        _panel = panel;
    }

    public OsdpControlPanel Panel => _panel;

    /// <summary>Takes the panel's oldest accepted read; steps nothing (the board loop steps the panel).</summary>
    public bool TryTake(CardRead read)
    {
        if (!_panel.TryTakeCardRead(_osdpRead))
        {
            return false;
        }

        read.Reader = ReaderKind.Osdp;
        read.Card = _osdpRead.CredentialNumber;
        read.Bits = _osdpRead.BitCount;
        read.BadFrame = BadFrameReason.None;
        return true;
    }

    /// <summary>
    /// Queues the panel's green-and-beep or red-and-three-beeps feedback. A reader gone offline cannot show it;
    /// the panel then counts the command as dropped (<see cref="OsdpControlPanel.CommandsDropped"/>).
    /// </summary>
    public void Signal(bool granted)
    {
        if (granted)
        {
            _panel.SignalGranted();
        }
        else
        {
            _panel.SignalDenied();
        }
    }
}
