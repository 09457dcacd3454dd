namespace Harbor.Controller.Tests.Checks;

/// <summary>
/// Test classes that host their own controller run alone, after the parallel ones: the Prometheus
/// registry is process-wide, and a second live controller in the process would publish its own
/// <c>harbor_containers</c> series over another test's.
/// </summary>
[CollectionDefinition(nameof(OwnControllerTests), DisableParallelization = true)]
public sealed class OwnControllerTests;
