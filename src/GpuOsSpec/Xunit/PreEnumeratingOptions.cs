using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// Discovery options that always pre-enumerate theory data. A GPU theory's rows are its backends; each must be its own
/// test case so an absent backend is a visible skip. Runners that turn pre-enumeration off (xunit.console does) would
/// otherwise get one case for the whole theory and no per-backend requirement check.
/// </summary>
internal sealed class PreEnumeratingOptions(ITestFrameworkDiscoveryOptions inner) : global::Xunit.LongLivedMarshalByRefObject, ITestFrameworkDiscoveryOptions
{
    private const string PreEnumerate = "xunit.discovery.PreEnumerateTheories";

    public TValue GetValue<TValue>(string name) =>
        name == PreEnumerate && typeof(TValue) == typeof(bool?) ? (TValue)(object)(bool?)true
        : name == PreEnumerate && typeof(TValue) == typeof(bool) ? (TValue)(object)true
        : inner.GetValue<TValue>(name);

    public void SetValue<TValue>(string name, TValue value) => inner.SetValue(name, value);
}
