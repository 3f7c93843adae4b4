using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Xunit;

/// <summary>
/// Turns a test that failed with <see cref="SpecSkippedException"/> into a skipped test with its reason, so a case that
/// cannot measure on a backend shows as skipped at run time instead of passing by returning early.
/// </summary>
internal sealed class SkipTranslatingMessageBus(IMessageBus inner) : IMessageBus
{
    private static readonly string s_skipType = typeof(SpecSkippedException).FullName!;

    /// <summary>How many failures were turned into skips.</summary>
    internal int Skipped { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed && failed.ExceptionTypes.Length > 0 && failed.ExceptionTypes[0] == s_skipType)
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages[0]));
        }
        return inner.QueueMessage(message);
    }

    public void Dispose()
    {
    }
}
