namespace SmartCommunity.Firmware.Tests.Fuzz;

using System;
using System.Linq;
using System.Text;
using CsCheck;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using SmartCommunity.Firmware.Boot;
using SmartCommunity.Firmware.Devices.DoorController;
using SmartCommunity.Protocol;
using SmartCommunity.Simulation.Hardware;
using SmartCommunity.Tests.Fuzz;

/// <summary>
/// What the firmware parses besides commands, under bad input (hardware-docs/bad-input.md): the configuration bundle
/// read at boot, the door's allow-list entries reached through allow-list commands, and the allow list's own record
/// in the store. Never an exception; a refusal says what is wrong; whatever the door saves it can load back.
/// </summary>
[TestClass]
public sealed class FirmwareFuzzTests
{
    private const int Capacity = 8;

    private static readonly byte[][] Configs = new[]
    {
        "{\"v\":1,\"site\":\"site-1\",\"building\":\"b_2\",\"kind\":\"door\",\"id\":\"door-7\",\"role\":\"hold-open\",\"mqtt\":{\"host\":\"edge.local\",\"port\":8883,\"tls\":true,\"user\":\"door-7\",\"password\":\"s3cret\"},\"pins\":{\"lock\":5,\"button\":6},\"params\":{\"unlockMs\":5000}}",
        "{\"v\":1,\"site\":\"s\",\"building\":\"b\",\"kind\":\"smoke\",\"id\":\"d\",\"mqtt\":{\"host\":\"h\",\"port\":1883}}",
    }.Select(Encoding.ASCII.GetBytes).ToArray();

    private static readonly byte[][] AllowListCommands = new[]
    {
        "{\"v\":1,\"id\":\"l1\",\"cmd\":\"allow-list\",\"op\":\"full\",\"ver\":3,\"now\":1740000000,\"part\":1,\"parts\":1,\"add\":\"1234:0:0;99:1740000000:1750000000;18446744073709551615:0:4294967295\"}",
        "{\"v\":1,\"id\":\"l2\",\"cmd\":\"allow-list\",\"op\":\"full\",\"ver\":4,\"now\":1740000000,\"part\":1,\"parts\":2,\"add\":\"5:0:0;6:0:0;7:0:0;8:0:0;9:0:0\"}",
        "{\"v\":1,\"id\":\"l3\",\"cmd\":\"allow-list\",\"op\":\"full\",\"ver\":4,\"now\":1740000000,\"part\":2,\"parts\":2,\"add\":\"10:0:0;11:0:0;12:0:0;13:0:0;14:0:0\"}",
        "{\"v\":1,\"id\":\"l4\",\"cmd\":\"allow-list\",\"op\":\"delta\",\"ver\":5,\"base\":4,\"now\":1740000000,\"add\":\"77:0:0;;\",\"remove\":\"5;1234;;\"}",
        "{\"v\":1,\"id\":\"l5\",\"cmd\":\"allow-list\",\"op\":\"delta\",\"ver\":4,\"base\":3,\"now\":1740000000,\"remove\":\"99\"}",
    }.Select(Encoding.ASCII.GetBytes).ToArray();

    [TestMethod]
    public void Parse_RandomAndMutatedConfigBundles_ConfigOrErrorNeverThrows()
    {
        Gen.Frequency((1, FuzzInputs.RandomBytes(DeviceConfig.MaxBytes + 64)), (4, FuzzInputs.Mutated(Configs)), (2, FuzzInputs.FieldSwapped(Configs))).Sample(
            bundle =>
            {
                DeviceConfig? config = DeviceConfig.Parse(bundle, bundle.Length, out string? error);

                Assert.AreEqual(config is null, error is not null, error);
                if (config is null)
                {
                    Assert.StartsWith("config: ", error!);
                    return;
                }

                Assert.IsTrue(bundle.Length <= DeviceConfig.MaxBytes);
                Assert.IsTrue(Topics.IsValidLevel(config.Site) && Topics.IsValidLevel(config.Building) && Topics.IsValidLevel(config.Kind) && Topics.IsValidLevel(config.DeviceId));
                Assert.IsTrue(config.MqttPort is > 0 and <= 65535);
                Assert.IsTrue(new[] { config.MqttHost, config.MqttUser, config.MqttPassword, config.Role }.All(t => t.All(c => c is >= ' ' and <= '~')));
                Assert.IsTrue(config.Pin("lock") is >= -1 and <= DeviceConfig.MaxPin);
                _ = config.Parameter("unlockMs", 0) + config.Parameter("x", 1);
            },
            iter: FuzzInputs.Iterations(10_000),
            print: FuzzInputs.Show);
    }

    [TestMethod]
    public void Apply_RandomAndMutatedAllowListCommands_BoundedAndWhatIsSavedLoadsBack()
    {
        // A run is a sequence of commands to one door, as the edge's sync (or a broken one) would send them.
        Gen<byte[]> commands = Gen.Frequency((1, FuzzInputs.RandomBytes(MessageLimits.MaxDownlinkBytes)), (6, FuzzInputs.Mutated(AllowListCommands)), (3, FuzzInputs.FieldSwapped(AllowListCommands)), (3, Gen.OneOf(AllowListCommands)));
        commands.Array[1, 12].Sample(
            run =>
            {
                var store = new MemoryStore();
                var list = new AllowList(Capacity, store);
                var command = new Command();
                var decoder = new CommandDecoder();
                foreach (byte[] payload in run)
                {
                    if (decoder.Decode(payload, payload.Length, command) != CommandRejection.None || command.Kind != CommandKind.AllowList)
                    {
                        continue;
                    }

                    CommandRejection rejection = list.Apply(command);

                    Assert.IsTrue(rejection is CommandRejection.None or CommandRejection.BadArgument or CommandRejection.VersionMismatch or CommandRejection.ListFull, rejection.ToString());
                    Assert.IsTrue(list.Count is >= 0 and <= Capacity);
                    var reloaded = new AllowList(Capacity, store);
                    reloaded.Load();
                    Assert.IsFalse(reloaded.LoadRefused, "the door could not read back the list it saved");
                    if (rejection is CommandRejection.None or CommandRejection.ListFull && (!command.FullList || command.Part == command.Parts))
                    {
                        Assert.AreEqual((list.Version, list.Count, list.IsFull), (reloaded.Version, reloaded.Count, reloaded.IsFull));
                    }
                }
            },
            iter: FuzzInputs.Iterations(3_000),
            print: run => string.Join(" | ", run.Select(FuzzInputs.Show)));
    }

    [TestMethod]
    public void Load_DamagedStoredRecord_EmptyListOrUsableListNeverThrows()
    {
        Gen.Byte.Array[0, AllowList.HeaderBytes + ((Capacity + 2) * AllowList.EntryBytes)].Sample(
            record =>
            {
                var store = new MemoryStore();
                store.Write(AllowList.StoreKey, record, record.Length);
                var list = new AllowList(Capacity, store);

                list.Load();

                Assert.IsTrue(list.Count is >= 0 and <= Capacity);
                Assert.IsTrue(list.Version >= 0);
                if (list.LoadRefused)
                {
                    Assert.AreEqual((0, 0L), (list.Count, list.Version), "an unusable record leaves the list empty");
                }
            },
            iter: FuzzInputs.Iterations(10_000),
            print: FuzzInputs.Hex);
    }
}
