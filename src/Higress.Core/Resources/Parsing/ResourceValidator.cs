using System.Collections;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Validates an object built in code with the same checks the parser applies to a document (required fields,
/// ports, ranges, regexes, cross-field rules), so that code and files report the same errors.
/// </summary>
internal static class ResourceValidator
{
    /// <summary>Every problem in <paramref name="resource"/>; empty when it is valid.</summary>
    /// <param name="resource">The object.</param>
    public static IReadOnlyList<ConfigDiagnostic> Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var context = new BindContext(resource.Display, resource.Origin.Display, stringScalars: false);
        Walk(resource, string.Empty, context);
        return context.Diagnostics;
    }

    private static void Walk(object instance, string path, BindContext context)
    {
        var errorsBefore = context.ErrorCount;
        foreach (var field in TypeModel.For(instance.GetType()).Fields.Values)
        {
            var value = field.Property.GetValue(instance);
            var fieldPath = JsonBinder.Join(path, field.JsonName);
            if (field.Required && value is null)
            {
                context.Error(fieldPath, $"'{field.JsonName}' is required", $"set {fieldPath}");
                continue;
            }

            FieldChecks.Check(field, value, fieldPath, context);
            WalkValue(value, fieldPath, context);
        }

        if (context.ErrorCount == errorsBefore)
        {
            SemanticValidator.Validate(instance, path, context);
        }
    }

    private static void WalkValue(object? value, string path, BindContext context)
    {
        switch (value)
        {
            case null or string or EquatableJson:
                return;
            case IEnumerable<KeyValuePair<string, StringMatch>> map:
                foreach (var (key, item) in map)
                {
                    WalkValue(item, JsonBinder.Join(path, key), context);
                }

                return;
            case IEnumerable items when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(EquatableArray<>):
                var i = 0;
                foreach (var item in items)
                {
                    WalkValue(item, $"{path}[{i++}]", context);
                }

                return;
            default:
                if (TypeModel.IsRecord(value.GetType()))
                {
                    Walk(value, path, context);
                }

                return;
        }
    }
}
