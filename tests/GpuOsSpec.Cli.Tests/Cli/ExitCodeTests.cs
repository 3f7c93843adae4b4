namespace GpuOsSpec.Cli.Tests.Cli;

/// <summary>One table of exit codes: the code's, the README's, and what the verbs return, all the same.</summary>
public class ExitCodeTests
{
    private static (int Code, string Out, string Err) Gpuosspec(params string[] args) => Support.Cli.Run(args);

    [Fact]
    public void The_readmes_exit_code_table_is_the_codes_table()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "GpuOsSpec.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        dir.Should().NotBeNull("the tests run inside the repository");
        var lines = File.ReadAllLines(Path.Combine(dir!, "README.md"));
        int header = Array.IndexOf(lines, "| code | meaning |");
        header.Should().BePositive("the README has the exit-code table");

        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).Select(c => (c[1], c[2])).ToList();

        rows.Should().Equal(ExitCodes.Table);
    }

    [Fact]
    public void Run_on_a_backend_this_machine_lacks_is_refused_with_2_not_the_inconclusive_3()
    {
        // No AMD GPU here (and the HIP backend is never available without one).
        var (code, _, err) = Gpuosspec("run", "launch-storm", "--backend", "hip", "--smoke");

        code.Should().Be(ExitCodes.Usage);
        err.Should().Contain("the hip backend is unavailable here").And.Contain("gpuosspec backends");
    }
}
