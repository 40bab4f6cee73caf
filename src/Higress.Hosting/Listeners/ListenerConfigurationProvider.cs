using Microsoft.Extensions.Configuration;

namespace Higress.Hosting.Listeners;

/// <summary>An in-memory configuration provider whose whole content is replaced at once, then reloaded.</summary>
internal sealed class ListenerConfigurationProvider : ConfigurationProvider
{
    private readonly Lock _lock = new();

    /// <summary>Replaces the data; returns true (and signals a reload) when it changed.</summary>
    public bool Replace(IDictionary<string, string?> data)
    {
        lock (_lock)
        {
            if (Data.Count == data.Count && data.All(kv => Data.TryGetValue(kv.Key, out var v) && v == kv.Value))
            {
                return false;
            }

            Data = new Dictionary<string, string?>(data, StringComparer.OrdinalIgnoreCase);
        }

        OnReload();
        return true;
    }
}

/// <summary>Adds a <see cref="ListenerConfigurationProvider"/> to a configuration builder.</summary>
internal sealed class ListenerConfigurationSource(ListenerConfigurationProvider provider) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
}
