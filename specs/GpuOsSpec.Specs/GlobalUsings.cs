// The vocabulary every spec uses: fixtures, the trace and its views, assertions, scaling, the backends and the xUnit
// attributes. Xunit and FluentAssertions come from the project file, as in every test project.
global using GpuOsSpec.Assertions;
global using GpuOsSpec.Fixtures;
global using GpuOsSpec.Scaling;
global using GpuOsSpec.Specs.Support;
global using GpuOsSpec.Tracing.Capture;
global using GpuOsSpec.Tracing.Model;
global using GpuOsSpec.Workloads.Backends;
global using GpuOsSpec.Xunit;
