namespace Pwgf.LocalStack;

/// <summary>Something the local stack cannot do, with a message meant for the person who ran the command.</summary>
public sealed class LocalStackException(string message) : Exception(message);
