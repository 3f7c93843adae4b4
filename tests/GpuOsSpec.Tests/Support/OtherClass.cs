using GpuOsSpec.Cases;
using GpuOsSpec.Xunit;

namespace GpuOsSpec.Tests.Support;

/// <summary>Stands in for another test class that xUnit runs in parallel in this process.</summary>
internal sealed class OtherClass
{
    internal const string Name = "GpuOsSpec.Tests.Support.OtherClass";

    private readonly Thread _thread;
    private volatile bool _go;

    /// <summary>
    /// Starts the other class's thread, which runs <paramref name="body"/> as the other class's running case once <see
    /// cref="Go"/> is called. The thread exists before any trace the caller starts, so it is no child of the caller's
    /// workload thread, and the caller's flow (a trace it holds, its running case) does not flow into it.
    /// </summary>
    internal OtherClass(Action body)
    {
        using (ExecutionContext.SuppressFlow())
        {
            _thread = new Thread(() =>
            {
                while (!_go)
                {
                    Thread.Sleep(1);
                }
                Run(() =>
                {
                    body();
                    return 0;
                });
            }) { IsBackground = true, Name = "other-class" };
            _thread.Start();
        }
    }

    /// <summary>Lets the body run. Makes no syscall, so it may be called inside a phase that counts them.</summary>
    internal void Go() => _go = true;

    /// <summary>Waits for the body to end.</summary>
    internal void Join() => _thread.Join();

    /// <summary>Runs <paramref name="body"/> as the other class's running case (a fixture notes it as its
    /// user).</summary>
    internal static T Run<T>(Func<T> body)
    {
        using (CurrentTest.Enter("OtherClass.Test", Name, []))
        {
            return body();
        }
    }
}
