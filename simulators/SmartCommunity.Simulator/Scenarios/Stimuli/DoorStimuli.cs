namespace SmartCommunity.Simulator.Scenarios.Stimuli;

using SmartCommunity.Edge.Layout;

/// <summary>Stimuli of door controllers (hardware-docs/door-controller.md): the fire panel's contact and the door's position.</summary>
public static class DoorStimuli
{
    public static void AddTo(StimulusRegistry registry)
    {
        registry.Add(new Stimulus("fire-input", "fire-input: { device, active: true|false } the fire panel's hard-wired contact at a door", a =>
        {
            a.AllowOnly("device", "active");
            DeviceDefinition door = a.Device("device", IsDoor);
            bool active = a.Boolean("active");
            return ScenarioAction.Set($"fire panel input of {door.Id} {(active ? "active" : "clear")}", world => world.Device(door.Id).FireInput!.Active = active);
        }));
        registry.Add(new Stimulus("door", "door: { device, is: open|closed } moves the door (its door-position contact)", a =>
        {
            a.AllowOnly("device", "is");
            DeviceDefinition door = a.Device("device", IsDoor);
            bool closed = a.OneOf("is", "open", "closed") == "closed";
            return ScenarioAction.Set($"{door.Id} {(closed ? "closed" : "opened")}", world => world.Device(door.Id).DoorClosed!.Active = closed);
        }));
    }

    internal static string? IsDoor(DeviceDefinition device) => device.Kind == DeviceKinds.Door ? null : "is not a door";
}
