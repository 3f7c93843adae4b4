// The vocabulary every spec uses: fixtures, a spec's capture, the trace and its views, assertions, scaling, the
// backends and the xUnit attributes. Xunit and FluentAssertions come from the project file, as in every test project.
global using GpuOsSpec.Assertions;
global using GpuOsSpec.Capture;
global using GpuOsSpec.Fixtures;
global using GpuOsSpec.Scaling;
global using GpuOsSpec.Specs.Support;
global using GpuOsSpec.Tracing.Model;
global using GpuOsSpec.Tracing.Sources;
global using GpuOsSpec.Workloads.Backends;
global using GpuOsSpec.Xunit;
