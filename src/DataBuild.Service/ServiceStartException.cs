namespace DataBuild.Service;

/// <summary>The service cannot start as asked (an address it may not bind, an unreadable token file); the message says why.</summary>
public sealed class ServiceStartException(string message, Exception? inner = null) : Exception(message, inner);
