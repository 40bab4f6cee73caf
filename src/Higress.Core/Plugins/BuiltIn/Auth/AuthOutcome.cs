namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>What an authentication plugin found: a consumer's name, or the response that refuses the request.</summary>
internal readonly record struct AuthOutcome
{
    private AuthOutcome(string? consumer, PluginResult denial)
    {
        Consumer = consumer;
        Denial = denial;
    }

    /// <summary>The recognised consumer, or null when refused.</summary>
    public string? Consumer { get; }

    /// <summary>The refusal (401 and the plugin's message), when <see cref="Consumer"/> is null.</summary>
    public PluginResult Denial { get; }

    public static AuthOutcome Authenticated(string consumer) => new(consumer, PluginResult.Continue);

    public static AuthOutcome Denied(PluginResult denial) => new(null, denial);
}
