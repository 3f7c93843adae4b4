namespace GpuOsSpec.Tracing.Platform;

/// <summary>The tracer could not do what was asked; the message says what failed and how to fix it.</summary>
public class TracerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TracerException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public TracerException(string message, Exception inner) : base(message, inner) { }
}
