using System.Text;
using GpuOsSpec.Tracing.Sources.Perf;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>Marker names as the decoder reads them: what any library sends, never two names as one, never a '/' inside
/// one.</summary>
public class MarkerNameTests
{
    private static string Decode(string text) => MarkerName.Decode(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("step")]
    [InlineData("données 步骤 🚀")]
    [InlineData("with spaces, dots. and-dashes_")]
    public void A_name_the_library_takes_decodes_as_it_is(string name) => Decode(name).Should().Be(name);

    [Fact]
    public void A_slash_inside_a_name_is_escaped_so_the_name_is_never_a_path() =>
        Decode("a/b").Should().Be(@"a\x2Fb").And.NotContain("/");

    [Fact]
    public void Two_different_invalid_names_stay_two_names() =>
        MarkerName.Decode([0xFF]).Should().Be(@"\xFF").And.NotBe(MarkerName.Decode([0xFE]));

    [Fact]
    public void A_name_cut_inside_a_character_keeps_the_whole_characters_and_escapes_the_rest() =>
        MarkerName.Decode([(byte)'c', (byte)'a', (byte)'f', 0xC3]).Should().Be(@"caf\xC3");

    [Theory]
    [InlineData("line\nbreak", @"line\x0Abreak")]
    [InlineData("tab\t", @"tab\x09")]
    [InlineData("del\u007F", @"del\x7F")]
    [InlineData("nel\u0085", @"nel\xC2\x85")]
    public void Control_characters_are_escaped_as_their_bytes(string name, string decoded) => Decode(name).Should().Be(decoded);

    [Fact]
    public void A_backslash_that_could_start_an_escape_is_doubled_so_an_escape_reads_back_unambiguously()
    {
        Decode(@"a\x2Fb").Should().Be(@"a\\x2Fb").And.NotBe(Decode("a/b"));
        Decode(@"\/").Should().Be(@"\\\x2F").And.NotBe(Decode(@"\x2F"));
        Decode(@"\\").Should().Be(@"\\\");
    }

    [Theory]
    [InlineData(@"C:\temp")]
    [InlineData(@"ends\")]
    [InlineData(@"\X41")]
    public void Any_other_backslash_is_kept_as_it_is(string name) => Decode(name).Should().Be(name);

    // Every string of up to 6 bytes over the characters an escape is made of, and bytes that get escaped.
    [Fact]
    public void No_two_strings_of_the_escape_alphabet_decode_to_the_same_name()
    {
        byte[] alphabet = [(byte)'\\', (byte)'x', (byte)'F', (byte)'/', 0xFF, 0x0A];
        var seen = new Dictionary<string, string>();
        var current = new List<byte>();
        void Visit(int depth)
        {
            if (current.Count > 0)
            {
                string name = MarkerName.Decode(current.ToArray());
                string bytes = Convert.ToHexString(current.ToArray());
                seen.TryAdd(name, bytes).Should().BeTrue($"{bytes} and {(seen.TryGetValue(name, out var other) ? other : "")} both decode to \"{name}\"");
            }
            if (depth == 6)
            {
                return;
            }
            foreach (byte b in alphabet)
            {
                current.Add(b);
                Visit(depth + 1);
                current.RemoveAt(current.Count - 1);
            }
        }

        Visit(0);

        seen.Should().HaveCount(55_986, "6 + 6^2 + ... + 6^6 strings, each its own name");
    }

    [Fact]
    public void Random_byte_strings_never_decode_to_the_same_name_and_never_to_a_slash_or_a_control_character()
    {
        var random = new Random(18);
        var seen = new Dictionary<string, byte[]>();
        for (int i = 0; i < 20_000; i++)
        {
            // Short strings from a small alphabet, so that near-collisions ('/', '\', 'x', hex digits, UTF-8 lead and
            // continuation bytes) are common.
            byte[] alphabet = [(byte)'/', (byte)'\\', (byte)'x', (byte)'2', (byte)'F', (byte)'a', 0x0A, 0x7F, 0xC2, 0x85, 0xC3, 0xA9, 0xFF, 0xE6, 0xAD];
            var bytes = Enumerable.Range(0, random.Next(1, 7)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            string name = MarkerName.Decode(bytes);
            if (seen.TryGetValue(name, out var earlier))
            {
                earlier.Should().Equal(bytes, $"only equal bytes may decode to \"{name}\"");
            }
            seen[name] = bytes;
            name.Should().NotContain("/").And.NotContainAny(Enumerable.Range(0, 0x20).Select(c => ((char)c).ToString()));
            name.Any(char.IsControl).Should().BeFalse();
        }
    }
}
