using Microsoft.Extensions.Options;

namespace Harbor.Agent.Updates;

/// <summary>Checks <see cref="UpdateOptions"/>'s annotations at start-up with generated code (no reflection: the agent is published with NativeAOT).</summary>
[OptionsValidator]
internal sealed partial class UpdateOptionsValidator : IValidateOptions<UpdateOptions>;
