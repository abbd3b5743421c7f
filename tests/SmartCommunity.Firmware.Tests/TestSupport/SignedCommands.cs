namespace SmartCommunity.Firmware.Tests.TestSupport;

using System.Text;
using SmartCommunity.Protocol.Crypto;

/// <summary>Builds command payloads signed the way the edge signs them (hardware-docs/protocol.md §4.5).</summary>
internal static class SignedCommands
{
    public static byte[] KeyOf(byte fill)
    {
        byte[] key = new byte[CommandKey.KeySize];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(fill + i);
        }

        return key;
    }

    public static CommandKey Key(long id, byte[] key)
    {
        CommandKey commandKey = new CommandKey();
        commandKey.Set(id, key, 0);
        return commandKey;
    }

    /// <summary>A command with counter, boot and expiry, signed under <paramref name="key"/>; <paramref name="extraFields"/> start with a comma.</summary>
    public static byte[] Signed(CommandKey key, string id, string name, long counter, long boot, long expiresAt, string extraFields = "")
    {
        byte[] unsigned = Unsigned(id, name, counter, boot, expiresAt, extraFields);
        return key.Sign(unsigned, unsigned.Length);
    }

    /// <summary>The same command with an empty "mac", as a device without the key would be sent.</summary>
    public static byte[] Unsigned(string id, string name, long counter, long boot, long expiresAt, string extraFields = "") =>
        Encoding.UTF8.GetBytes("{\"v\":1,\"id\":\"" + id + "\",\"cmd\":\"" + name + "\",\"ctr\":" + counter + ",\"boot\":" + boot + ",\"exp\":" + expiresAt
            + extraFields + ",\"mac\":\"\",\"reason\":\"test\"}");
}
