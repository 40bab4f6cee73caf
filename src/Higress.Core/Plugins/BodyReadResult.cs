namespace Higress.Core.Plugins;

/// <summary>
/// What <see cref="PluginContext.ReadRequestBodyAsync"/> or <see cref="PluginContext.ReadResponseBodyAsync"/> read.
/// Whatever a plugin reads, the upstream (or the client) still receives the whole body.
/// </summary>
/// <param name="Body">The body, when it fits the limit; empty when it does not.</param>
/// <param name="TooLarge">
/// True when the body is larger than the limit: nothing is returned, and the body passes on unread. A plugin that must
/// see every byte (a signature or a WAF check) answers 413 (<see cref="PluginResult.Respond(int, string?, string?)"/>);
/// one that only inspects what it can passes the request on.
/// </param>
public readonly record struct BodyReadResult(ReadOnlyMemory<byte> Body, bool TooLarge);
