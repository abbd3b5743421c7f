// Connects the demo community (virtual devices running the real firmware logic) to an sc-edge that runs as its own
// process, for measure.sh: dotnet run virtual-building.cs -- LAYOUT MQTT_PORT SECONDS
#:project ../../../simulators/SmartCommunity.Simulation/SmartCommunity.Simulation.csproj
#:project ../../SmartCommunity.Edge/SmartCommunity.Edge.csproj
#:property TreatWarningsAsErrors=false

using System;
using System.Linq;
using System.Threading.Tasks;
using SmartCommunity.Edge.Layout;
using SmartCommunity.Simulation.Devices;

BuildingLayout layout = LayoutLoader.Load(args[0]);
int port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
int seconds = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
await using var community = new VirtualBuilding(layout, "127.0.0.1", port, TimeProvider.System, TimeSpan.FromMilliseconds(5));
community.Start();
Console.WriteLine($"virtual-building: {community.Devices.Count()} devices connecting to 127.0.0.1:{port} for {seconds} s");
await Task.Delay(TimeSpan.FromSeconds(seconds));
