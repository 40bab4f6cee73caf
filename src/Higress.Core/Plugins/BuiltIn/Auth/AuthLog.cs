using Higress.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>
/// The log events of every authentication plugin (a nested class cannot live in the generic
/// <see cref="AuthPlugin{TConfig, TState}"/>). Messages name the consumer and the reason, never a credential.
/// </summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = EventIds.AuthRefused, Level = LogLevel.Debug, Message = "{Plugin} refused a request on rule {Route} with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string plugin, string route, int status, string? reason);

    [LoggerMessage(EventId = EventIds.AuthConsumerNotAllowed, Level = LogLevel.Debug, Message = "{Plugin} recognised consumer {Consumer} on rule {Route}, which its allow list does not name (403)")]
    public static partial void NotAllowed(ILogger logger, string plugin, string consumer, string route);
}
