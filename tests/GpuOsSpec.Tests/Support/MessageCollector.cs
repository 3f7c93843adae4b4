using Xunit.Abstractions;
using Xunit.Sdk;

namespace GpuOsSpec.Tests.Support;

/// <summary>A message bus and sink that keep every message, to see what a test case reported.</summary>
public sealed class MessageCollector : LongLivedMarshalByRefObject, IMessageBus, IMessageSink
{
    public List<IMessageSinkMessage> Messages { get; } = [];

    public bool QueueMessage(IMessageSinkMessage message)
    {
        lock (Messages)
        {
            Messages.Add(message);
        }
        return true;
    }

    public bool OnMessage(IMessageSinkMessage message) => QueueMessage(message);

    public void Dispose()
    {
    }
}
