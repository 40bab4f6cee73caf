namespace Higress.Core.Plugins;

/// <summary>
/// What a request handler decided: continue to the next plugin (and then the route's action), or end the
/// request with a local response. To add headers to a local response, set them on
/// <c>context.HttpContext.Response.Headers</c> before returning <see cref="Respond"/>.
/// </summary>
public readonly record struct PluginResult
{
    private PluginResult(int statusCode, string? body, string? contentType)
    {
        StatusCode = statusCode;
        Body = body;
        ContentType = contentType;
    }

    /// <summary>Run the next plugin.</summary>
    public static PluginResult Continue => default;

    /// <summary>True when the request continues.</summary>
    public bool IsContinue => StatusCode == 0;

    /// <summary>The status code of the local response; 0 when the request continues.</summary>
    public int StatusCode { get; }

    /// <summary>The body of the local response, or null for none.</summary>
    public string? Body { get; }

    /// <summary>The content type of the body, or null to keep what the plugin set on the response.</summary>
    public string? ContentType { get; }

    /// <summary>
    /// End the request: nothing is forwarded. Response handlers of the plugins that already ran (including
    /// this one) still see the response and may change it before it is written.
    /// </summary>
    /// <param name="statusCode">The status code (100-599).</param>
    /// <param name="body">The body, or null for none.</param>
    /// <param name="contentType">The body's content type, or null.</param>
    /// <returns>A result that ends the request.</returns>
    public static PluginResult Respond(int statusCode, string? body = null, string? contentType = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new PluginResult(statusCode, body, contentType);
    }
}
