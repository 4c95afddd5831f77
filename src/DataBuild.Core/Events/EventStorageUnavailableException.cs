namespace DataBuild.Events;

/// <summary>
/// A BEL that cannot be opened: its server cannot be reached or refuses the connection. The message names
/// the log (without a password) and the reason, so a wrong host, port or password is plain from it.
/// </summary>
public sealed class EventStorageUnavailableException(string message, Exception innerException) : IOException(message, innerException);
