using System.Xml.Linq;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Cli.Tests.Check;

/// <summary>The JUnit file of a check, read as CI servers read it: well-formed XML, one test case per rule, counts that
/// agree with the test cases, a failure with the evidence, skipped with the reason.</summary>
[Collection(SerialCollection.Name)]
public class JUnitReportTests
{
    private static string Temp() => Path.Combine(Path.GetTempPath(), $"gpuosspec-junit-{Environment.ProcessId}-{Guid.NewGuid():N}.xml");

    [SkippableFact]
    public void The_junit_file_reads_as_a_ci_report_one_test_case_per_rule_with_a_failure_holding_the_evidence()
    {
        Requires.Perf();
        string junit = Temp();

        var (code, _, err) = Support.Cli.Run(["check", "--junit", junit, .. CheckRuns.Library, "--", NativePrograms.Rules, "ioctl"]);

        code.Should().Be(1, err);
        var doc = XDocument.Load(junit);
        var suites = doc.Root!;
        suites.Name.LocalName.Should().Be("testsuites");
        var suite = suites.Elements("testsuite").Should().ContainSingle().Subject;
        var cases = suite.Elements("testcase").ToList();
        cases.Should().HaveCount(11, "one test case per built-in rule");
        foreach (var counted in new[] { suite, suites })
        {
            ((int)counted.Attribute("tests")!).Should().Be(cases.Count);
            ((int)counted.Attribute("failures")!).Should().Be(cases.Count(c => c.Element("failure") is not null));
            ((int)counted.Attribute("errors")!).Should().Be(cases.Count(c => c.Element("error") is not null));
            ((int)counted.Attribute("skipped")!).Should().Be(cases.Count(c => c.Element("skipped") is not null));
        }
        cases.Should().OnlyContain(c => (string?)c.Attribute("classname") == "gpuosspec.check" && !string.IsNullOrEmpty((string?)c.Attribute("name")));
        var failed = cases.Should().ContainSingle(c => c.Element("failure") != null).Subject;
        ((string)failed.Attribute("name")!).Should().Be("steady-no-ioctl: A steady phase makes no ioctl");
        var failure = failed.Element("failure")!;
        ((string)failure.Attribute("message")!).Should().StartWith("Expected phase \"steady\" (runs 2 to 5 of 5)").And.Contain("TCGETS ×4");
        failure.Value.Should().Contain("evidence: TCGETS ×4 in steady, first at +").And.Contain("on tid ").And.Contain("basis: ");
        cases.Where(c => c.Element("skipped") is not null).Select(c => (string)c.Element("skipped")!.Attribute("message")!)
            .Should().HaveCount(3).And.OnlyContain(m => m.StartsWith("not applicable: ") && m.Contains("--api"));
        suite.Element("properties")!.Elements("property").Should().Contain(p => (string?)p.Attribute("name") == "verdict" && (string?)p.Attribute("value") == "failed");
    }

    [SkippableFact]
    public void A_command_line_with_control_characters_still_gives_a_well_formed_junit_file()
    {
        Requires.Perf();
        string junit = Temp();

        var (code, _, err) = Support.Cli.Run(["check", "--junit", junit, .. CheckRuns.Library, "--", NativePrograms.Rules, "keep", "5", "odd\u0001name\u001b"]);

        code.Should().Be(0, err);
        var suite = XDocument.Load(junit).Root!.Element("testsuite")!;
        ((string)suite.Attribute("name")!).Should().Contain("odd\uFFFDname\uFFFD");
    }
}
