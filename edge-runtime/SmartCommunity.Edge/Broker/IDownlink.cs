namespace SmartCommunity.Edge.Broker;

using System.Threading.Tasks;

/// <summary>How the edge publishes to devices: commands (never retained) and the building fire state (retained).</summary>
public interface IDownlink
{
    Task PublishAsync(string topic, byte[] payload, bool retain);
}
