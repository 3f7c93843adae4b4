using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>
/// Routes libbpf's messages, which it would print to stderr (the traced command's output and ours), to the object that
/// is calling libbpf on this thread. libbpf prints synchronously, on the thread of the call, so a thread-local sink
/// names the object. Debug messages are dropped unformatted; warnings and information, the verifier's log among them
/// when a program is refused, are kept.
/// </summary>
internal static unsafe class LibbpfLog
{
    // vsnprintf can be called once per va_list: one buffer large enough for a verifier log of our programs, shared
    // under a lock (libbpf calls are rare and short).
    private const int BufferSize = 1 << 20;
    private static readonly Lock s_gate = new();
    private static byte* s_buffer;
    private static int s_installed;

    [ThreadStatic]
    private static StringBuilder? t_sink;

    /// <summary>Points libbpf's printing here, once per process.</summary>
    internal static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            Interop.Libbpf.SetPrint(&Print);
        }
    }

    /// <summary>Collects this thread's libbpf messages into <paramref name="sink"/> until the scope is
    /// disposed.</summary>
    internal static Scope Into(StringBuilder sink)
    {
        var previous = t_sink;
        t_sink = sink;
        return new Scope(previous);
    }

    internal readonly struct Scope(StringBuilder? previous) : IDisposable
    {
        public void Dispose() => t_sink = previous;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Print(int level, byte* format, nint args)
    {
        // An exception must not cross back into libbpf's C frames.
        try
        {
            if (level == Interop.Libbpf.PrintDebug || t_sink is not { } sink)
            {
                return 0;
            }
            lock (s_gate)
            {
                if (s_buffer is null)
                {
                    s_buffer = (byte*)NativeMemory.Alloc(BufferSize);
                }
                int length = Interop.Libc.Vsnprintf(s_buffer, BufferSize, format, args);
                if (length > 0)
                {
                    sink.Append(Encoding.UTF8.GetString(s_buffer, Math.Min(length, BufferSize - 1)));
                }
            }
        }
        catch (Exception)
        {
            // A message lost is a message lost; the call's own result still reports the failure.
        }
        return 0;
    }
}
