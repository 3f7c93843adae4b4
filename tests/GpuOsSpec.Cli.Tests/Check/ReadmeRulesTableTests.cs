using System.Globalization;
using GpuOsSpec.Tracing.Checks;

namespace GpuOsSpec.Cli.Tests.Check;

/// <summary>The README's table of check rules is the built-in rules: the same ids in the same order, each with its
/// default threshold.</summary>
public class ReadmeRulesTableTests
{
    [Fact]
    public void The_readmes_rules_table_lists_every_built_in_rule_with_its_default_threshold()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "GpuOsSpec.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        dir.Should().NotBeNull("the tests run inside the repository");
        var lines = File.ReadAllLines(Path.Combine(dir!, "README.md"));
        int header = Array.IndexOf(lines, "| rule | a healthy program | default threshold | needs |");
        header.Should().BePositive("the README has the rules table");

        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();

        rows.Select(r => r[1].Trim('`')).Should().Equal(CheckRules.BuiltIn.Select(r => r.Id));
        foreach (var (row, rule) in rows.Zip(CheckRules.BuiltIn))
        {
            row[3].Should().StartWith(rule.DefaultThreshold.ToString(CultureInfo.InvariantCulture) + " ", $"the README gives {rule.Id}'s default threshold");
        }
    }
}
