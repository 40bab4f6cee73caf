using System.Diagnostics;
using Higress.Core.Diagnostics;
using Higress.Hosting;
using Higress.Hosting.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends the gateway's traces and metrics through OpenTelemetry (docs/observability.md).</summary>
public static class HigressTelemetryBuilderExtensions
{
    /// <summary>
    /// Adds the gateway's <c>Higress</c> spans and meter to the host's OpenTelemetry tracer and meter providers (the
    /// ones <c>services.AddOpenTelemetry()</c> builds, so a host's own sources, instrumentations and exporters compose
    /// with these), plus the exporters and sampler of <c>Higress:Telemetry</c>: <c>Otlp:Endpoint</c> (or the standard
    /// <c>OTEL_EXPORTER_OTLP_*</c> variables), <c>Zipkin:Endpoint</c>, <c>SamplingRatio</c>, <c>ServiceName</c>.
    /// </summary>
    /// <param name="builder">The Higress builder.</param>
    /// <param name="configure">Settings in code, applied after the <c>Higress:Telemetry</c> section.</param>
    /// <returns>The builder.</returns>
    public static IHigressBuilder WithTelemetry(this IHigressBuilder builder, Action<HigressTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure<HigressOptions>(options => configure(options.Telemetry));
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddDetector(sp => new ServiceNameDetector(Settings(sp).ServiceName)))
            .WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.SourceName)
                .ConfigureSampler((sp, sampler) => Settings(sp).SamplingRatio is { } ratio ? new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)) : sampler))
            .WithMetrics(metrics => metrics.AddMeter(HigressMeter.Name));

        // The exporters depend on settings, which are known once the host's services are.
        builder.Services.ConfigureOpenTelemetryTracerProvider((sp, tracer) =>
        {
            var settings = Settings(sp);
            if (Otlp(settings.Otlp, "traces") is { } otlp)
            {
                tracer.AddProcessor(new BatchActivityExportProcessor(new OtlpTraceExporter(otlp)));
            }

            if (!string.IsNullOrWhiteSpace(settings.Zipkin.Endpoint))
            {
                // OpenTelemetry marks its Zipkin exporter obsolete in favour of OTLP, but Zipkin v2 JSON is what
                // Higress users' Zipkin collectors accept (issue 13); it stays until a replacement speaks it.
#pragma warning disable CS0618
                tracer.AddProcessor(new BatchActivityExportProcessor(new ZipkinExporter(new ZipkinExporterOptions { Endpoint = new Uri(settings.Zipkin.Endpoint) })));
#pragma warning restore CS0618
            }
        });
        builder.Services.ConfigureOpenTelemetryMeterProvider((sp, meter) =>
        {
            if (Otlp(Settings(sp).Otlp, "metrics") is { } otlp)
            {
                meter.AddReader(new PeriodicExportingMetricReader(new OtlpMetricExporter(otlp)));
            }
        });
        return builder;
    }

    private static HigressTelemetryOptions Settings(IServiceProvider services) => services.GetRequiredService<IOptions<HigressOptions>>().Value.Telemetry;

    // The exporter's own options read the OTEL_EXPORTER_OTLP_* variables; Higress's settings override them. Without an
    // endpoint from either, nothing is sent (the exporter would otherwise try localhost:4317 and log failures).
    private static OtlpExporterOptions? Otlp(HigressOtlpOptions settings, string signal)
    {
        var options = new OtlpExporterOptions();
        if (settings.Protocol is { } protocol)
        {
            options.Protocol = protocol.Trim().ToLowerInvariant() switch
            {
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
                _ => throw new OptionsValidationException("Higress:Telemetry:Otlp:Protocol", typeof(HigressOtlpOptions), [$"Higress:Telemetry:Otlp:Protocol: '{protocol}' is not an OTLP protocol; use grpc or http/protobuf"]),
            };
        }

        if (!string.IsNullOrWhiteSpace(settings.Endpoint))
        {
            // A configured HTTP endpoint is used as written; the collector's base address gets the signal's path.
            var endpoint = settings.Endpoint.TrimEnd('/');
            options.Endpoint = new Uri(options.Protocol == OtlpExportProtocol.HttpProtobuf && !endpoint.Contains("/v1/", StringComparison.Ordinal) ? $"{endpoint}/v1/{signal}" : endpoint);
            return options;
        }

        return Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 }
            || Environment.GetEnvironmentVariable($"OTEL_EXPORTER_OTLP_{signal.ToUpperInvariant()}_ENDPOINT") is { Length: > 0 }
            ? options
            : null;
    }

    /// <summary>Sets <c>service.name</c> when <c>Higress:Telemetry:ServiceName</c> is set; otherwise adds nothing.</summary>
    private sealed class ServiceNameDetector(string? serviceName) : IResourceDetector
    {
        public Resource Detect() =>
            string.IsNullOrWhiteSpace(serviceName) ? Resource.Empty : new Resource([new KeyValuePair<string, object>("service.name", serviceName)]);
    }
}
