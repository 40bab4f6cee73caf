using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.IpRestriction;

/// <summary>
/// Higress's <c>ip-restriction</c>: refuses requests by client address, with an allow list (only listed addresses
/// pass) or a deny list (listed addresses are refused). A client address that cannot be determined is refused.
/// </summary>
internal sealed class IpRestrictionPlugin : HigressPlugin<IpRestrictionConfig>
{
    public const string PluginName = "ip-restriction";

    public override string Name => PluginName;

    // Higress runs ip-restriction in the authentication phase with priority 210.
    public override PluginPhase DefaultPhase => PluginPhase.Authn;

    public override int DefaultPriority => 210;

    protected override bool RejectUnknownFields => true;

    protected override IpRestrictionConfig Validate(IpRestrictionConfig config, PluginConfigContext context)
    {
        var sourceType = string.IsNullOrEmpty(config.IpSourceType) ? IpRestrictionConfig.OriginSource : config.IpSourceType;
        if (sourceType is not (IpRestrictionConfig.OriginSource or IpRestrictionConfig.HeaderSource))
        {
            // Higress falls back to origin-source here; a typo must not silently change whose address is checked.
            context.AddError("ip_source_type", $"'{sourceType}' is not a source type", "use 'origin-source' (the connection's peer) or 'header' (the header named by ip_header_name)");
        }

        if (!config.Allow.IsEmpty && !config.Deny.IsEmpty)
        {
            context.AddError("deny", "allow and deny cannot be set at the same time", "keep one list: with allow only the listed addresses pass, with deny only the listed addresses are refused");
        }
        else if (config.Allow.IsEmpty && config.Deny.IsEmpty)
        {
            context.AddError("allow", "allow and deny are both empty: the plugin would do nothing", "list addresses or CIDRs in allow (only they pass) or in deny (they are refused)");
        }

        var isAllowList = !config.Allow.IsEmpty;
        var list = isAllowList ? config.Allow : config.Deny;
        var field = isAllowList ? "allow" : "deny";
        var networks = new List<IPNetwork>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (TryParseNetwork(list[i], out var network))
            {
                networks.Add(network);
            }
            else
            {
                context.AddError($"{field}[{i}]", $"'{list[i]}' is not an IP address or CIDR", "write an address (10.0.0.1, 2001:db8::1) or a CIDR (10.0.0.0/8, 2001:db8::/32)");
            }
        }

        return config with
        {
            IpSourceType = sourceType,
            IpHeaderName = string.IsNullOrEmpty(config.IpHeaderName) ? "x-forwarded-for" : config.IpHeaderName,
            FromHeader = sourceType == IpRestrictionConfig.HeaderSource,
            Networks = [.. networks],
            IsAllowList = isAllowList,
            DeniedBody = JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = config.Message }),
        };
    }

    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, IpRestrictionConfig config)
    {
        var address = config.FromHeader
            ? ClientAddress.FromHeader(context.HttpContext.Request.Headers[config.IpHeaderName])
            : context.HttpContext.Connection.RemoteIpAddress;

        // As Higress: a request whose address is missing or unreadable is refused, whichever list is configured.
        if (address is null)
        {
            return Deny(config);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var listed = false;
        foreach (var network in config.Networks)
        {
            if (network.Contains(address))
            {
                listed = true;
                break;
            }
        }

        return listed == config.IsAllowList ? new ValueTask<PluginResult>(PluginResult.Continue) : Deny(config);
    }

    private static ValueTask<PluginResult> Deny(IpRestrictionConfig config) =>
        new(PluginResult.Respond(config.Status, config.DeniedBody, "text/plain"));

    /// <summary>
    /// Parses an address (a /32 or /128 network) or a CIDR. Bits after the prefix are ignored (<c>10.1.2.3/8</c> is
    /// <c>10.0.0.0/8</c>), as Higress's tree does; an IPv4-mapped IPv6 rule becomes the IPv4 rule it stands for.
    /// </summary>
    internal static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var trimmed = text.AsSpan().Trim();
        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!ClientAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(trimmed[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        network = new IPNetwork(Mask(address, prefix), prefix);
        return true;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
