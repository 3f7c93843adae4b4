using GpuOsSpec.Tracing.Capture.Markers;
using GpuOsSpec.Tracing.Model;

namespace GpuOsSpec.Tracing.Analysis;

/// <summary>Turns gpuos begin/end markers into phases, per thread, nesting as the program nested them.</summary>
internal static class MarkerPhases
{
    internal static List<Phase> Build(IReadOnlyList<MarkerRecord> markers, long captureEndNs, List<string> notes)
    {
        var phases = new List<Phase>();
        int unmatched = 0;
        int instants = 0;
        foreach (var thread in markers.GroupBy(m => m.Tid))
        {
            var open = new Stack<MarkerRecord>();
            foreach (var m in thread.OrderBy(m => m.Sequence))
            {
                switch (m.Kind)
                {
                    case MarkerKind.Begin:
                        open.Push(m);
                        break;
                    case MarkerKind.End or MarkerKind.Abandoned when open.Count > 0 && open.Peek().Name == m.Name:
                        phases.Add(Close(open, m.TimeNs, m.Kind == MarkerKind.Abandoned));
                        break;
                    case MarkerKind.End or MarkerKind.Abandoned:
                        unmatched++;
                        break;
                    default:
                        instants++;
                        break;
                }
            }
            while (open.Count > 0)
            {
                notes.Add($"gpuos phase \"{open.Peek().Name}\" on thread {thread.Key} was still open when the capture ended; it ends there.");
                phases.Add(Close(open, captureEndNs, abandoned: true));
            }
        }
        if (unmatched > 0)
        {
            notes.Add($"{unmatched} gpuos end marker(s) matched no open phase on their thread (the library refuses such ends, so a marker was lost).");
        }
        if (instants > 0)
        {
            notes.Add($"{instants:N0} gpuos instant marker(s) seen.");
        }
        return phases;
    }

    private static Phase Close(Stack<MarkerRecord> open, long endNs, bool abandoned)
    {
        var begin = open.Pop();
        string path = string.Join('/', open.Reverse().Select(o => o.Name).Append(begin.Name));
        return new Phase(begin.Name, path, begin.TimeNs, endNs, begin.Tid)
        {
            Class = begin.Class,
            Origin = PhaseOrigin.GpuOsMarkers,
            Abandoned = abandoned,
        };
    }
}
