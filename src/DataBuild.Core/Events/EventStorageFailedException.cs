namespace DataBuild.Events;

/// <summary>
/// The BEL's storage failed while in use: a disk full, a server gone past its retry budget. Unlike a
/// refused event, nothing the build did is wrong; the log cannot be written (or read), so the build stops.
/// The message names the log and the reason in one sentence.
/// </summary>
public sealed class EventStorageFailedException(string message, Exception innerException) : IOException(message, innerException);
