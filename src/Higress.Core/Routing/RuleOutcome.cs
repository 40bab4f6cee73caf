namespace Higress.Core.Routing;

/// <summary>What the gateway does with a request once its rule matched.</summary>
internal enum RuleOutcome
{
    /// <summary>Forward to the chosen backend's cluster.</summary>
    Forward,

    /// <summary>Answer with a redirect.</summary>
    Redirect,

    /// <summary>Answer with the rule's fixed response.</summary>
    DirectResponse,

    /// <summary>Answer with an error: the rule cannot be served as configured.</summary>
    Fail,
}
