using System.Globalization;
using GpuOs;

namespace GpuOsSpec.Workloads.Backends.GpuOs;

/// <summary>
/// What the waits of one completion mechanism and policy did in this process: how long their arms took, how long they
/// waited, and what they decided. An arm that takes as long as the work (NVIDIA's OpenCL with a marker on the H200)
/// leaves a wait nothing to sleep through, which only these figures show.
/// </summary>
internal sealed class WaitTally(string mechanism, WaitPolicy policy)
{
    // Enough for the evaluation's runs; a long-running program keeps the first samples and counts the rest.
    private const int MaxSamples = 10_000;

    private readonly object _lock = new();
    private readonly List<long> _armNs = [];
    private readonly List<long> _waitNs = [];
    private readonly Dictionary<WaitDecision, long> _decisions = [];
    private long _waits;

    internal void Add(long armNs, WaitInfo wait)
    {
        lock (_lock)
        {
            _waits++;
            _decisions[wait.Decision] = _decisions.GetValueOrDefault(wait.Decision) + 1;
            if (_armNs.Count < MaxSamples)
            {
                _armNs.Add(armNs);
                _waitNs.Add(wait.WaitedNs);
            }
        }
    }

    /// <summary>One line: "cuda: spin=word park=event, adaptive: 150 waits; arm median 4 us (max 31 us); wait median
    /// 812 us; sleep then spin ×149, spin then park ×1".</summary>
    public override string ToString()
    {
        lock (_lock)
        {
            string decisions = string.Join(", ", _decisions.OrderBy(d => d.Key).Select(d => $"{Words(d.Key)} ×{d.Value}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"{mechanism}, {policy.ToString().ToLowerInvariant()}: {_waits} waits; arm median {Median(_armNs) / 1e3:F0} us (max {_armNs.DefaultIfEmpty().Max() / 1e3:F0} us); " +
                $"wait median {Median(_waitNs) / 1e3:F0} us; {decisions}");
        }
    }

    private static double Median(List<long> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2.0;
    }

    private static string Words(WaitDecision decision) => decision switch
    {
        WaitDecision.Spin => "spin",
        WaitDecision.Park => "park",
        WaitDecision.SpinThenPark => "spin then park",
        WaitDecision.AlreadyComplete => "already done",
        WaitDecision.SleepThenSpin => "sleep then spin",
        WaitDecision.SleepSpinThenPark => "sleep, spin, park",
        _ => $"decision {(int)decision}",
    };
}
