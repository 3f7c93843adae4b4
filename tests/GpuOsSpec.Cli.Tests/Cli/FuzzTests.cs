using GpuOsSpec.Cli.Reliability;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>CI's share of `gpuosspec reliability fuzz` (which runs 100,000 inputs per reader; see
/// docs/reliability.md).</summary>
public class FuzzTests
{
    [Fact]
    public void Mutated_truncated_random_and_huge_inputs_make_no_reader_throw()
    {
        var results = Fuzzer.Run(inputsPerTarget: 3_000, seed: 7);

        results.Should().HaveCount(6);
        results.Should().OnlyContain(r => r.Unhandled == 0, string.Join("; ", results.SelectMany(r => r.Examples)));
    }
}
