using GpuOsSpec.Tests.Support;
using GpuOsSpec.Tracing.Baselines;

namespace GpuOsSpec.Tests.Baselines;

/// <summary>A profile is validated when it is read: a corrupt one is refused, naming what is wrong, before any
/// run.</summary>
public class BaselineProfileReaderTests
{
    private static string Valid() => System.Text.Json.JsonSerializer.Serialize(
        BaselineProfile.Of(new Traces().Calls("getppid", 2, 1_100_000).Build()),
        new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase });

    [Fact]
    public void A_saved_profile_reads_back_equal_in_every_figure()
    {
        var profile = BaselineProfile.Of(new Traces().Calls("getppid", 2, 1_100_000).Build());
        string file = Path.Combine(Path.GetTempPath(), $"gpuosspec-roundtrip-{Guid.NewGuid():N}.json");
        profile.Save(file);

        var read = BaselineProfile.Load(file);

        read.Entries.Should().Equal(profile.Entries);
        read.Scopes.Select(s => (s.Scope, s.Runs, string.Join(",", s.Measured))).Should().Equal(profile.Scopes.Select(s => (s.Scope, s.Runs, string.Join(",", s.Measured))));
        File.Delete(file);
    }

    [Theory]
    [InlineData("\"entries\":[", "\"entries\":[null,", "an entry is null")]
    [InlineData("\"scopes\":[", "\"scopes\":[null,", "a scope is null")]
    [InlineData("\"scope\":\"(whole)\",\"runs\"", "\"scope\":null,\"runs\"", "'Scope' * doesn't allow null values")]
    [InlineData("\"perRun\":2,", "\"perRun\":\"NaN\",", "could not be converted")]
    [InlineData("\"perRun\":2,", "\"perRun\":-2,", "not a finite number of at least 0")]
    [InlineData("\"recordings\":1", "\"recordings\":0", "needs at least one")]
    [InlineData("\"machine\":{", "\"machine\":null,\"x\":{", "'machine' * doesn't allow setting null values")]
    public void A_corrupt_profile_is_refused_naming_what_is_wrong(string find, string replace, string reason)
    {
        string text = Valid();
        text.Should().Contain(find);

        var act = () => BaselineProfile.Parse(text.Replace(find, replace, StringComparison.Ordinal), "base.json");

        act.Should().Throw<InvalidDataException>().WithMessage($"base.json is not a valid gpuosspec.baseline/2 profile*{reason}*");
    }

    [Fact]
    public void A_duplicate_entry_is_refused()
    {
        string text = Valid();
        int at = text.IndexOf("{\"scope\":\"(whole)\",\"kind\":\"Syscall\"", StringComparison.Ordinal);
        int end = text.IndexOf('}', at) + 1;
        string entry = text[at..end];

        var act = () => BaselineProfile.Parse(text.Insert(end, "," + entry), "base.json");

        act.Should().Throw<InvalidDataException>().WithMessage("*appears twice*");
    }

    [Fact]
    public void A_device_or_a_folder_is_refused_at_once_without_reading_it()
    {
        ((Action)(() => BaselineProfile.Load("/dev/zero"))).Should().Throw<InvalidDataException>().WithMessage("*not a regular file*");
        ((Action)(() => BaselineProfile.Load("/tmp"))).Should().Throw<InvalidDataException>().WithMessage("*is a directory*");
    }
}
