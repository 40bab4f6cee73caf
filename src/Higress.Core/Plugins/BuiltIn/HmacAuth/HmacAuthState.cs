using System.Collections.Frozen;
using System.Text;

namespace Higress.Core.Plugins.BuiltIn.HmacAuth;

/// <summary>The consumers of one <c>hmac-auth</c> instance by app key: the secret to sign with and the consumer's name.</summary>
internal sealed class HmacAuthState(FrozenDictionary<string, (byte[] Secret, string Consumer)> byKey)
{
    public static HmacAuthState Create(HmacAuthConfig config)
    {
        var byKey = new Dictionary<string, (byte[], string)>(config.Credentials.Count, StringComparer.Ordinal);
        foreach (var credential in config.Credentials)
        {
            byKey[config.Consumers[credential.Index].Key] = (Encoding.UTF8.GetBytes(credential.Value), credential.Name);
        }

        return new HmacAuthState(byKey.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string key, out (byte[] Secret, string Consumer) consumer) => byKey.TryGetValue(key, out consumer);
}
