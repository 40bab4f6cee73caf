using System.ComponentModel;
using System.Globalization;
using Higress.Core.Resources.Parsing;

namespace Higress.Hosting.Configuration;

/// <summary>
/// Lets host settings take durations as resources write them (<c>200ms</c>, <c>2s</c>, <c>1m30s</c>) as well as in
/// the TimeSpan form (<c>00:00:00.2</c>). The configuration binder converts strings through the type's
/// <see cref="TypeConverter"/>, so this converter is registered for <see cref="TimeSpan"/> once per process; it
/// accepts everything the standard converter does, so other settings of the host are not affected.
/// </summary>
internal sealed class DurationConverter : TimeSpanConverter
{
    private static int s_registered;

    /// <summary>Registers the converter for <see cref="TimeSpan"/> (once; later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        }
    }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text && !text.Contains(':', StringComparison.Ordinal) && DurationParser.TryParse(text, out var duration)
            ? duration
            : base.ConvertFrom(context, culture, value);
}
