using System.Globalization;
using System.Text;
using System.Xml;

namespace GpuOsSpec.Cli.Checks;

/// <summary>
/// A check as JUnit XML, the report GitHub Actions, GitLab and Jenkins show: one test suite, one test case per rule
/// (named "ID: title"), a failure element with the evidence for a rule that failed, an error element for one that
/// could not be judged, and a skipped element with the reason for one that does not apply. The suite's counts are the
/// test cases', and its properties hold the check's verdict, its reason and the capture.
/// </summary>
internal static class JUnitReport
{
    /// <summary>The class name every test case carries (CI servers group by it).</summary>
    internal const string ClassName = "gpuosspec.check";

    /// <summary>Writes <paramref name="report"/> about <paramref name="trace"/> to <paramref name="path"/>.</summary>
    internal static void Write(string path, Trace trace, CheckReport report, string? rulesFile)
    {
        using var stream = File.Create(path);
        Write(stream, trace, report, rulesFile);
    }

    /// <summary>Writes <paramref name="report"/> about <paramref name="trace"/> to <paramref name="stream"/>.</summary>
    internal static void Write(Stream stream, Trace trace, CheckReport report, string? rulesFile)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CheckCharacters = true };
        using var xml = XmlWriter.Create(stream, settings);
        int tests = report.Rules.Count, failures = report.Count(RuleVerdict.Failed), errors = report.Count(RuleVerdict.Inconclusive), skipped = report.Count(RuleVerdict.NotApplicable);
        string seconds = ((trace.EndNs - trace.StartNs) / 1e9).ToString("F3", CultureInfo.InvariantCulture);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "gpuosspec check");
        Counts(xml, tests, failures, errors, skipped, seconds);
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean($"gpuosspec check: {trace.Target}"));
        Counts(xml, tests, failures, errors, skipped, seconds);
        xml.WriteAttributeString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteAttributeString("hostname", Clean(Environment.MachineName));
        xml.WriteStartElement("properties");
        Property(xml, "verdict", CheckText.Word(report.Verdict));
        if (report.Reason is { } reason)
        {
            Property(xml, "reason", reason);
        }
        Property(xml, "capture", CheckText.Capture(trace));
        Property(xml, "exitCode", trace.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none");
        Property(xml, "rules", rulesFile ?? "built-in defaults");
        xml.WriteEndElement();
        foreach (var outcome in report.Rules)
        {
            var result = outcome.Result;
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", Clean($"{outcome.Rule.Id}: {outcome.Rule.Title}"));
            xml.WriteAttributeString("classname", ClassName);
            xml.WriteAttributeString("time", "0");
            switch (result.Verdict)
            {
                case RuleVerdict.Failed:
                    Element(xml, "failure", result.Message, "failed", CheckText.Details(outcome));
                    break;
                case RuleVerdict.Inconclusive:
                    Element(xml, "error", $"inconclusive: {result.Message}", "inconclusive", CheckText.Details(outcome));
                    break;
                case RuleVerdict.NotApplicable:
                    xml.WriteStartElement("skipped");
                    xml.WriteAttributeString("message", Clean($"not applicable: {result.Message}"));
                    xml.WriteEndElement();
                    break;
            }
            xml.WriteElementString("system-out", Clean(CheckText.Details(outcome)));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Counts(XmlWriter xml, int tests, int failures, int errors, int skipped, string seconds)
    {
        xml.WriteAttributeString("tests", tests.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", failures.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", errors.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", skipped.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("time", seconds);
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    private static void Element(XmlWriter xml, string name, string message, string type, string body)
    {
        xml.WriteStartElement(name);
        xml.WriteAttributeString("message", Clean(message));
        xml.WriteAttributeString("type", type);
        xml.WriteString(Clean($"{message}\n\n{body}"));
        xml.WriteEndElement();
    }

    /// <summary>
    /// <paramref name="text"/> with every character XML 1.0 cannot hold replaced by U+FFFD: a thread or a command may
    /// be named with control characters, and an XML writer refuses them (a JUnit file cut short is read by no CI).
    /// </summary>
    internal static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('\uFFFD');
            }
        }
        return sb.ToString();
    }
}
