using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>Checks <see cref="AgentOptions"/>'s annotations at start-up with generated code (no reflection: the agent is published with NativeAOT).</summary>
[OptionsValidator]
internal sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>;
