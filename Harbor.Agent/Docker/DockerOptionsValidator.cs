using Microsoft.Extensions.Options;

namespace Harbor.Agent.Docker;

/// <summary>Checks <see cref="DockerOptions"/>'s annotations at start-up with generated code (no reflection: the agent is published with NativeAOT).</summary>
[OptionsValidator]
internal sealed partial class DockerOptionsValidator : IValidateOptions<DockerOptions>;
