using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>The CLI's conventions: unknown options are usage errors (exit 2) before any work; --json - is stdout.</summary>
[Collection(SerialCollection.Name)]
public class ConventionTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    [Theory]
    [InlineData("trace", "--bogus", "--", "/bin/true")]
    [InlineData("backends", "--bogus")]
    [InlineData("baseline", "compare")]
    [InlineData("evaluate", "--repeats", "many")]
    public void A_usage_error_exits_2_and_says_so_before_any_work(params string[] args)
    {
        var (code, _, err) = Gpuosspec(args);

        code.Should().Be(Program.UsageError);
        err.Should().StartWith("gpuosspec: ").And.Contain("--help");
    }

    [Fact]
    public void Trace_json_dash_writes_the_trace_to_stdout()
    {
        var (code, output, _) = Gpuosspec("trace", "--json", "-", "--source", "proc", "--", "/bin/true");

        code.Should().Be(0);
        output.TrimStart().Should().StartWith("{").And.Contain("\"schema\": \"gpuosspec.trace/2\"");
        File.Exists("-").Should().BeFalse("- means stdout, not a file named -");
    }

    [Fact]
    public void Sources_json_lists_every_source_and_the_pick()
    {
        var (code, output, _) = Gpuosspec("sources", "--json");

        code.Should().Be(0);
        output.Should().Contain("\"name\": \"perf\"").And.Contain("\"name\": \"strace\"").And.Contain("\"auto\":");
    }
}
