namespace SmartCommunity.Firmware.Boot;

using SmartCommunity.Firmware.Hal;
using SmartCommunity.Firmware.Messaging;
using SmartCommunity.Protocol;
using CommandKeyCodec = SmartCommunity.Protocol.Crypto.CommandKey;

/// <summary>
/// The device configuration bundle read from the non-volatile store at boot (hardware-docs/protocol.md §7):
/// identity, broker endpoint, credentials, role, pin map and parameters. Parsing allocates (boot only).
/// </summary>
public sealed class DeviceConfig : IParameterSource
{
    public const string StoreKey = "config";
    public const int MaxBytes = 1024;

    /// <summary>Longest string field (host, user, password, ids) in bytes.</summary>
    public const int MaxTextBytes = 128;

    /// <summary>Highest GPIO number accepted in the pin map (as in the layout schema).</summary>
    public const int MaxPin = 255;

    private readonly PayloadReader _pins = new PayloadReader();
    private readonly PayloadReader _parameters = new PayloadReader();
    private bool _hasPins;
    private bool _hasParameters;

    public string Site = "";
    public string Building = "";
    public string Kind = "";
    public string DeviceId = "";
    public string Role = "";
    public string MqttHost = "";
    public int MqttPort = 1883;
    public bool MqttTls;
    public string MqttUser = "";
    public string MqttPassword = "";

    /// <summary>The 32-byte command key ("commandKey", 64 hex characters); null when the bundle has none (commands go unsigned).</summary>
    public byte[] CommandKey;

    /// <summary>The command key's id ("commandKeyId", at least 1); 0 without a key.</summary>
    public long CommandKeyId;

    /// <summary>Parses the bundle; on failure returns null and sets <paramref name="error"/> to what is wrong.</summary>
    public static DeviceConfig Parse(byte[] buffer, int length, out string error)
    {
        error = null;
        PayloadReader reader = new PayloadReader();
        if (length <= 0 || length > MaxBytes || length > buffer.Length)
        {
            error = "config: not a JSON object of at most 1024 bytes";
            return null;
        }

        // Keep a private copy: Pin() and Parameter() read it later, and the caller may reuse its buffer.
        byte[] own = new byte[length];
        System.Array.Copy(buffer, own, length);
        if (!reader.Load(own, 0, length))
        {
            error = "config: not a JSON object of at most 1024 bytes";
            return null;
        }

        long version;
        if (!reader.TryGetInt64("v", out version) || version != ProtocolVersion.Current)
        {
            error = "config: \"v\" must be 1";
            return null;
        }

        DeviceConfig config = new DeviceConfig();
        byte[] scratch = new byte[MaxTextBytes];
        config.Site = RequiredLevel(reader, "site", scratch, ref error);
        config.Building = RequiredLevel(reader, "building", scratch, ref error);
        config.Kind = RequiredLevel(reader, "kind", scratch, ref error);
        config.DeviceId = RequiredLevel(reader, "id", scratch, ref error);
        config.Role = Text(reader, "role", scratch, ref error);
        if (error != null)
        {
            return null;
        }

        PayloadReader mqtt = new PayloadReader();
        if (!reader.TryGetObject("mqtt", mqtt))
        {
            error = "config: \"mqtt\" object (host, port, tls, user, password) is missing";
            return null;
        }

        config.MqttHost = Text(mqtt, "host", scratch, ref error);
        long port;
        if (mqtt.TryGetInt64("port", out port))
        {
            // Range-check before narrowing: a cast alone would turn 4294968179 into 1883 and accept it.
            config.MqttPort = port > 0 && port <= 65535 ? (int)port : 0;
        }

        bool tls;
        config.MqttTls = mqtt.TryGetBool("tls", out tls) && tls;
        config.MqttUser = Text(mqtt, "user", scratch, ref error);
        config.MqttPassword = Text(mqtt, "password", scratch, ref error);
        if (error != null)
        {
            return null;
        }

        if (config.MqttHost.Length == 0 || config.MqttPort <= 0 || config.MqttPort > 65535)
        {
            error = "config: mqtt.host and mqtt.port (1-65535) are required";
            return null;
        }

        error = ReadCommandKey(reader, config);
        if (error != null)
        {
            return null;
        }

        config._hasPins = reader.TryGetObject("pins", config._pins);
        config._hasParameters = reader.TryGetObject("params", config._parameters);
        error = null;
        return config;
    }

    /// <summary>
    /// Gives <paramref name="keys"/> the bundle's command key (and, with a store, the rotations made since); does
    /// nothing without one, so the device takes unsigned commands (protocol.md §4.5, §7). Boot only.
    /// </summary>
    public void ConfigureCommandKeys(CommandKeyRing keys, INonVolatileStore store)
    {
        if (CommandKey != null)
        {
            keys.Configure(CommandKeyId, CommandKey, 0, store);
        }
    }

    /// <summary>The GPIO number wired to <paramref name="name"/>, or -1 when the pin map does not name it (or names no valid pin).</summary>
    public int Pin(string name)
    {
        long value;
        return _hasPins && _pins.TryGetInt64(name, out value) && value >= 0 && value <= MaxPin ? (int)value : -1;
    }

    /// <summary>A numeric parameter, or <paramref name="fallback"/> when absent.</summary>
    public long Parameter(string name, long fallback)
    {
        long value;
        return _hasParameters && _parameters.TryGetInt64(name, out value) ? value : fallback;
    }

    // "commandKey": 64 hex characters (either case), with "commandKeyId" >= 1; both or neither.
    private static string ReadCommandKey(PayloadReader reader, DeviceConfig config)
    {
        int start;
        int length;
        JsonKind kind;
        bool hasKey = reader.TryFind("commandKey", out start, out length, out kind);
        long keyId;
        bool hasId = reader.TryGetInt64("commandKeyId", out keyId);
        if (!hasKey && !hasId)
        {
            return null;
        }

        if (!hasKey || kind != JsonKind.String || length != CommandKeyCodec.MacHexLength)
        {
            return "config: \"commandKey\" must be 64 hex characters (32 bytes) when \"commandKeyId\" is set";
        }

        if (!hasId || keyId < 1)
        {
            return "config: \"commandKeyId\" must be a whole number of at least 1 next to \"commandKey\"";
        }

        byte[] text = new byte[CommandKeyCodec.MacHexLength];
        reader.CopyString("commandKey", text);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] >= (byte)'A' && text[i] <= (byte)'F')
            {
                text[i] = (byte)(text[i] + ('a' - 'A'));
            }
        }

        byte[] key = new byte[CommandKeyCodec.KeySize];
        if (!CommandKeyCodec.TryParseHex(text, 0, text.Length, key))
        {
            return "config: \"commandKey\" must be 64 hex characters (32 bytes)";
        }

        config.CommandKey = key;
        config.CommandKeyId = keyId;
        return null;
    }

    private static string RequiredLevel(PayloadReader reader, string key, byte[] scratch, ref string error)
    {
        string value = Text(reader, key, scratch, ref error);
        if (error == null && !Topics.IsValidLevel(value))
        {
            error = "config: \"" + key + "\" must be 1-32 characters of a-z, 0-9, '-' or '_'";
        }

        return value;
    }

    /// <summary>
    /// A string field, "" when absent. One that does not fit <see cref="MaxTextBytes"/> or is not plain ASCII is
    /// an error rather than a silently emptied or mangled host name or password.
    /// </summary>
    private static string Text(PayloadReader reader, string key, byte[] scratch, ref string error)
    {
        int start;
        int rawLength;
        JsonKind kind;
        if (!reader.TryFind(key, out start, out rawLength, out kind))
        {
            return "";
        }

        int length = kind == JsonKind.String ? reader.CopyString(key, scratch) : -1;
        if (length < 0)
        {
            if (error == null)
            {
                error = "config: \"" + key + "\" must be a string of at most " + MaxTextBytes.ToString() + " bytes";
            }

            return "";
        }

        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            if (scratch[i] > 0x7E || scratch[i] < 0x20)
            {
                if (error == null)
                {
                    error = "config: \"" + key + "\" must be printable ASCII";
                }

                return "";
            }

            chars[i] = (char)scratch[i];
        }

        return new string(chars);
    }
}
