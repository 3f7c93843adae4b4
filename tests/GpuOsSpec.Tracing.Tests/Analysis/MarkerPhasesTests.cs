using GpuOsSpec.Tracing.Building;
using GpuOsSpec.Tracing.Model;
using GpuOsSpec.Tracing.Sources.Perf;

namespace GpuOsSpec.Tracing.Tests.Analysis;

/// <summary>Phases from gpuos markers, in time order across execs and forks, from records made by hand.</summary>
public class MarkerPhasesTests
{
    private const int Pid = 100;
    private const int Child = 200;
    private const long End = 1_000;

    private static MarkerRecord Marker(long time, MarkerKind kind, string name, ulong seq, int pid = Pid, int tid = Pid, int depth = 1) =>
        new(pid, tid, time, kind, PhaseClass.LatencyCritical, depth, seq, name);

    private static (List<Phase> Phases, List<string> Notes) Build(IReadOnlyList<MarkerRecord> markers,
        IReadOnlyList<(int, int, long)>? execs = null, IReadOnlyList<(int, int, int, long)>? forks = null)
    {
        var notes = new List<string>();
        var phases = MarkerPhases.Build(markers, execs ?? [], forks ?? [], End, notes);
        return (phases.OrderBy(p => p.StartNs).ToList(), notes);
    }

    [Fact]
    public void The_markers_of_two_images_are_ordered_by_time_though_both_count_from_1()
    {
        // The second image's sequence numbers restart at 1, so by sequence its begin would sort before the first's end.
        var (phases, _) = Build(
            [Marker(10, MarkerKind.Begin, "first", 1), Marker(20, MarkerKind.End, "first", 2), Marker(50, MarkerKind.Begin, "second", 1), Marker(60, MarkerKind.End, "second", 2)],
            execs: [(Pid, Pid, 40)]);

        phases.Select(p => (p.Path, p.StartNs, p.EndNs, p.Abandoned)).Should().Equal(("first", 10L, 20L, false), ("second", 50L, 60L, false));
    }

    [Fact]
    public void A_phase_open_at_an_exec_ends_at_the_exec_as_abandoned_and_is_named_in_a_note()
    {
        var (phases, notes) = Build(
            [Marker(10, MarkerKind.Begin, "carried", 1), Marker(50, MarkerKind.Begin, "second", 1), Marker(60, MarkerKind.End, "second", 2)],
            execs: [(Pid, Pid, 40)]);

        phases.Select(p => (p.Path, p.EndNs, p.Abandoned)).Should().Equal(("carried", 40L, true), ("second", 60L, false));
        notes.Should().Contain(n => n.Contains("\"carried\"") && n.Contains("exec")).And.NotContain(n => n.Contains("lost"));
    }

    [Fact]
    public void An_exec_ends_the_open_phases_of_every_thread_of_its_process_and_no_other()
    {
        var (phases, _) = Build(
            [Marker(10, MarkerKind.Begin, "main", 1), Marker(11, MarkerKind.Begin, "worker", 2, tid: Pid + 1), Marker(12, MarkerKind.Begin, "other", 1, pid: Child, tid: Child)],
            execs: [(Pid, Pid, 40)]);

        phases.Select(p => (p.Path, p.EndNs)).Should().Equal(("main", 40L), ("worker", 40L), ("other", End));
    }

    [Fact]
    public void An_end_from_a_forked_child_for_its_parents_phase_is_named_not_counted_as_lost()
    {
        var (phases, notes) = Build(
            [Marker(10, MarkerKind.Begin, "work", 1), Marker(20, MarkerKind.End, "work", 2, pid: Child, tid: Child), Marker(30, MarkerKind.End, "work", 2)],
            forks: [(Child, Child, Pid, 15)]);

        phases.Select(p => (p.Path, p.EndNs, p.Abandoned)).Should().Equal(("work", 30L, false));
        notes.Should().Contain(n => n.Contains("1 gpuos end marker(s)") && n.Contains("inherited")).And.NotContain(n => n.Contains("lost"));
    }

    [Fact]
    public void An_end_on_a_thread_that_began_nothing_and_inherited_nothing_is_a_lost_marker()
    {
        var (_, notes) = Build(
            [Marker(10, MarkerKind.Begin, "work", 1), Marker(20, MarkerKind.End, "elsewhere", 1, pid: Child, tid: Child), Marker(30, MarkerKind.End, "work", 2)],
            forks: [(Child, Child, Pid, 15)]);

        notes.Should().Contain(n => n.Contains("1 gpuos end marker(s) matched no open phase"));
    }

    [Fact]
    public void A_new_thread_inherits_no_phase()
    {
        var (_, notes) = Build(
            [Marker(10, MarkerKind.Begin, "work", 1), Marker(20, MarkerKind.End, "work", 2, tid: Pid + 1), Marker(30, MarkerKind.End, "work", 3)],
            forks: [(Pid, Pid + 1, Pid, 15)]);

        notes.Should().Contain(n => n.Contains("1 gpuos end marker(s) matched no open phase"));
    }

    [Fact]
    public void A_name_with_an_escaped_slash_and_a_nested_pair_are_two_paths()
    {
        var (phases, _) = Build(
        [
            Marker(10, MarkerKind.Begin, MarkerName.Decode("a/b"u8), 1), Marker(20, MarkerKind.End, MarkerName.Decode("a/b"u8), 2),
            Marker(30, MarkerKind.Begin, "a", 3), Marker(40, MarkerKind.Begin, "b", 4, depth: 2), Marker(50, MarkerKind.End, "b", 5, depth: 2), Marker(60, MarkerKind.End, "a", 6),
        ]);

        phases.Select(p => p.Path).Should().Equal(@"a\x2Fb", "a", "a/b");
    }
}
