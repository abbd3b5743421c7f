namespace SmartCommunity.DoorNode;

using System;
using System.Diagnostics;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

/// <summary>
/// Brings up Wi-Fi from the credentials stored on the device (written at commissioning with nanoff's network
/// deployment, README.md), not from the configuration bundle. Called only from the transport's background
/// thread, with a bounded wait, so a missing access point never holds up the door loop.
/// </summary>
internal static class NetworkLink
{
    public const int ConnectTimeoutMs = 30000;

    /// <summary>True when an IPv4 address is up, trying the stored Wi-Fi profile once if it is not.</summary>
    /// <param name="requiresDateTime">
    /// True for TLS: certificate validity is checked against the clock, so wait for SNTP to set it.
    /// </param>
    public static bool EnsureUp(bool requiresDateTime)
    {
        if (HasAddress())
        {
            return true;
        }

        try
        {
            using (CancellationTokenSource timeout = new CancellationTokenSource(ConnectTimeoutMs))
            {
                bool up = WifiNetworkHelper.Reconnect(requiresDateTime, 0, timeout.Token);
                if (!up)
                {
                    Debug.WriteLine("network: Wi-Fi not up yet");
                }

                return up && HasAddress();
            }
        }
        catch (Exception ex)
        {
            Debug.WriteLine("network: " + ex.Message);
            return false;
        }
    }

    private static bool HasAddress()
    {
        NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
        for (int i = 0; i < interfaces.Length; i++)
        {
            string address = interfaces[i].IPv4Address;
            if (address != null && address.Length > 0 && address != "0.0.0.0")
            {
                return true;
            }
        }

        return false;
    }
}
