using Microsoft.Extensions.Options;

namespace Harbor.Agent.Inventory;

/// <summary>Checks <see cref="InventoryOptions"/>'s annotations at start-up with generated code (no reflection: the agent is published with NativeAOT).</summary>
[OptionsValidator]
internal sealed partial class InventoryOptionsValidator : IValidateOptions<InventoryOptions>;
