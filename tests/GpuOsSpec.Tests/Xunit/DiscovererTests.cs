using System.Reflection;
using GpuOsSpec.Xunit;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Xunit;

public class DiscovererTests
{
    public static TheoryData<Type> Attributes() => new() { typeof(GpuFactAttribute), typeof(GpuTheoryAttribute), typeof(HypothesisAttribute) };

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Every_attributes_discoverer_resolves_to_a_type_in_the_plugin(Type attribute)
    {
        var data = attribute.GetCustomAttributesData().Single(a => a.AttributeType == typeof(XunitTestCaseDiscovererAttribute) || a.AttributeType == typeof(TraitDiscovererAttribute));
        string typeName = (string)data.ConstructorArguments[0].Value!;
        string assemblyName = (string)data.ConstructorArguments[1].Value!;

        var type = Assembly.Load(assemblyName).GetType(typeName);

        type.Should().NotBeNull($"{attribute.Name} names {typeName} in {assemblyName}");
        type!.GetInterfaces().Should().Contain(t => t == typeof(IXunitTestCaseDiscoverer) || t == typeof(ITraitDiscoverer));
    }

    [Fact]
    public void The_hypothesis_attribute_becomes_traits_a_filter_can_select()
    {
        var info = Reflector.Wrap(typeof(DiscovererTests).GetMethod(nameof(Annotated), BindingFlags.NonPublic | BindingFlags.Static)!.GetCustomAttributesData().Single());

        var traits = new HypothesisTraitDiscoverer().GetTraits(info).ToList();

        traits.Should().Equal(new KeyValuePair<string, string>("hypothesis", "a warm launch costs no syscall"),
            new KeyValuePair<string, string>("role", "submission"), new KeyValuePair<string, string>("axis", "launch count"));
    }

    [Hypothesis("a warm launch costs no syscall", Role = "submission", Axis = "launch count")]
    private static void Annotated()
    {
    }
}
