using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting;

/// <summary>
/// Returned by <c>services.AddHigress()</c> to chain further Higress registrations,
/// such as <c>.AddPlugin&lt;T&gt;()</c>, <c>.AddKubernetes()</c> or <c>.AddOpa()</c>.
/// </summary>
public interface IHigressBuilder
{
    /// <summary>The service collection Higress is registered in.</summary>
    IServiceCollection Services { get; }
}
