namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>The checks across jwt-auth fields that binding cannot make; each error names the field and the fix.</summary>
internal static class JwtAuthValidator
{
    /// <summary>Checks <paramref name="config"/>, reporting every problem.</summary>
    public static JwtAuthConfig Validate(JwtAuthConfig config, PluginConfigContext context)
    {
        var seed = config.Issuer is not null || config.JwksUri is not null || !config.Audiences.IsEmpty;
        if (seed)
        {
            if (string.IsNullOrWhiteSpace(config.Issuer))
            {
                context.AddError("issuer", "is required with jwks_uri", "set issuer to the 'iss' your tokens carry, e.g. \"example.com\"");
            }

            if (config.JwksUri is null)
            {
                context.AddError("jwks_uri", "is required with issuer", "set jwks_uri to the URL of the issuer's key set, e.g. \"https://example.com/.well-known/jwks.json\"");
            }
            else
            {
                CheckUri(config.JwksUri, "jwks_uri", context);
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Consumers.Count; i++)
        {
            CheckConsumer(config.Consumers[i], $"consumers[{i}]", names, context);
        }

        return config;
    }

    /// <summary>The consumers to verify against, in order: <c>consumers</c>, then the seed's anonymous issuer.</summary>
    public static List<JwtConsumer> AllConsumers(JwtAuthConfig config)
    {
        var all = new List<JwtConsumer>(config.Consumers.Count + 1);
        all.AddRange(config.Consumers);
        if (config.JwksUri is not null)
        {
            all.Add(new JwtConsumer { Issuer = config.Issuer ?? string.Empty, JwksUri = config.JwksUri, Audiences = config.Audiences });
        }

        return all;
    }

    private static void CheckConsumer(JwtConsumer consumer, string path, HashSet<string> names, PluginConfigContext context)
    {
        if (string.IsNullOrWhiteSpace(consumer.Name))
        {
            context.AddError(path + ".name", "is required", "name the consumer; the name is forwarded in X-Mse-Consumer and listed in allow");
        }
        else if (!names.Add(consumer.Name))
        {
            context.AddError(path + ".name", $"'{consumer.Name}' names two consumers", "give every consumer its own name");
        }

        if (string.IsNullOrWhiteSpace(consumer.Issuer))
        {
            context.AddError(path + ".issuer", "is required", "set issuer to the 'iss' this consumer's tokens carry");
        }

        switch (consumer.Jwks, consumer.JwksUri)
        {
            case (null, null):
                context.AddError(path + ".jwks", "is required (or jwks_uri)", "set jwks to the consumer's JSON Web Key Set as a JSON string, or jwks_uri to its URL");
                break;
            case ({ }, { }):
                context.AddError(path + ".jwks_uri", "is set together with jwks", "keep one of jwks and jwks_uri");
                break;
            case ({ } jwks, null):
                if (!JwtKeys.TryParse(jwks, out _, out var problem))
                {
                    context.AddError(path + ".jwks", problem, "write the key set as a JSON string: {\"keys\":[{\"kty\":\"RSA\",\"kid\":\"...\",\"n\":\"...\",\"e\":\"AQAB\"}]}");
                }

                break;
            case (null, { } uri):
                CheckUri(uri, path + ".jwks_uri", context);
                break;
        }

        var headers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < consumer.ClaimsToHeaders.Count; i++)
        {
            if (!headers.Add(consumer.ClaimsToHeaders[i].Header))
            {
                context.AddError($"{path}.claims_to_headers[{i}].header", $"'{consumer.ClaimsToHeaders[i].Header}' is set by two claims", "map each header from one claim only");
            }
        }
    }

    private static void CheckUri(string text, string path, PluginConfigContext context)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            context.AddError(path, $"'{text}' is not an absolute http or https URL", "write the full URL, e.g. \"https://example.com/.well-known/jwks.json\"");
        }
    }
}
