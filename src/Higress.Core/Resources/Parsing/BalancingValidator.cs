namespace Higress.Core.Resources.Parsing;

/// <summary>The cross-field checks of load balancing: hash keys and tables, endpoint and route weights.</summary>
internal static class BalancingValidator
{
    private const string KeyFields = "httpHeaderName, httpCookie, useSourceIp: true, httpQueryParameterName";

    public static void ValidateConsistentHash(ConsistentHashSettings hash, string path, BindContext context)
    {
        var keys = (hash.HttpHeaderName is null ? 0 : 1) + (hash.HttpCookie is null ? 0 : 1) + (hash.UseSourceIp == true ? 1 : 0) + (hash.HttpQueryParameterName is null ? 0 : 1);
        if (keys != 1)
        {
            context.Error(path, keys == 0 ? "consistentHash has no key" : "consistentHash takes only one key", $"set exactly one of {KeyFields}");
        }

        if (hash.HttpHeaderName is "" || hash.HttpQueryParameterName is "")
        {
            context.Error(JsonBinder.Join(path, hash.HttpHeaderName is "" ? "httpHeaderName" : "httpQueryParameterName"), "the name is empty", "name the header or query parameter to hash on");
        }

        if (hash.Maglev is not null && (hash.RingHash is not null || hash.MinimumRingSize is not null))
        {
            context.Error(JsonBinder.Join(path, "maglev"), "maglev and ringHash (or minimumRingSize) are exclusive", "keep one of maglev, ringHash");
        }

        if (hash.Maglev?.TableSize is { } size && !IsPrime(size))
        {
            context.Error(JsonBinder.Join(path, "maglev.tableSize"), $"{size} is not a prime", "use a prime such as 65537 (the default) or 5003");
        }
    }

    public static void ValidateEndpointWeights(ServiceEntrySpec entry, string path, BindContext context)
    {
        if (!entry.Endpoints.IsEmpty && entry.Endpoints.All(e => e.Weight == 0))
        {
            context.Error(JsonBinder.Join(path, "endpoints"), "every endpoint has weight 0, so none could get traffic", "give at least one endpoint a weight above 0, or leave weight unset (1)");
        }
    }

    public static void ValidateRouteWeights(RouteRule rule, string path, BindContext context)
    {
        if (rule.Route.Any(d => d.Weight is not null) && rule.Route.Sum(d => (long)(d.Weight ?? 0)) == 0)
        {
            context.Error(JsonBinder.Join(path, "route"), "the destinations' weights sum to 0, so none could get traffic", "give at least one destination a weight above 0");
        }
    }

    private static bool IsPrime(int n)
    {
        if (n < 2)
        {
            return false;
        }

        for (var d = 2; (long)d * d <= n; d++)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}
