using System.Text.Json;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources;

/// <summary>What happens when a plugin itself fails.</summary>
public enum FailStrategy
{
    /// <summary>Fail the request.</summary>
    [JsonStringEnumMemberName("FAIL_CLOSE")]
    FailClose,

    /// <summary>Skip the plugin.</summary>
    [JsonStringEnumMemberName("FAIL_OPEN")]
    FailOpen,
}
