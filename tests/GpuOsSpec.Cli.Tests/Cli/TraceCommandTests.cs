using System.Text.Json;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Cli;

[Collection(SerialCollection.Name)]
public class TraceCommandTests
{
    [SkippableFact]
    public void Gpuosspec_trace_writes_json_with_exactly_20000_getppid_and_exits_with_the_commands_code()
    {
        Requires.Perf();
        string json = Path.Combine(Path.GetTempPath(), $"gpuosspec-cli-{Guid.NewGuid():N}.json");
        try
        {
            int code = GpuOsSpec.Cli.Program.Main(["trace", "--json", json, "--", NativePrograms.Storm, "20000"]);

            code.Should().Be(0);
            var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
            root.GetProperty("lostEvents").GetInt64().Should().Be(0);
            root.GetProperty("syscalls").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "getppid")
                .GetProperty("count").GetInt64().Should().Be(20_000);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void A_missing_command_exits_127()
    {
        GpuOsSpec.Cli.Program.Main(["trace", "--", "/no/such/gpuosspec-command"]).Should().Be(127);
    }

    [Fact]
    public void The_commands_own_exit_code_is_passed_through()
    {
        GpuOsSpec.Cli.Program.Main(["trace", "--source", "proc", "--", "/bin/sh", "-c", "exit 7"]).Should().Be(7);
    }

    [Fact]
    public void A_bad_buffer_size_is_refused_with_the_valid_range()
    {
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            GpuOsSpec.Cli.Program.Main(["trace", "--buffer-pages", "3", "--", "/bin/true"]).Should().NotBe(0);
        }
        finally
        {
            Console.SetError(saved);
        }
        error.ToString().Should().Contain("power of two");
    }
}
