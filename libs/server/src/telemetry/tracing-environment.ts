import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

const EXPORTERS = ['otlp', 'console', 'none'] as const;
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const MILLISECONDS = { message: '$property must be a whole number of milliseconds' } as const;

/**
 * The standard OpenTelemetry variables that decide whether and where the stock apps export traces, checked before
 * the SDK reads them (it would only warn, and export nowhere). The SDK reads the other `OTEL_*` variables as the
 * specification says (`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER`, `OTEL_EXPORTER_OTLP_HEADERS`, …).
 * @see https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
export class TracingEnvironment {
  /** `true` turns the SDK off whatever else is set. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'OTEL_SDK_DISABLED must be true or false' })
  OTEL_SDK_DISABLED?: string;

  /** Where spans go, comma separated: `otlp`, `console`, or `none`; setting it (or an endpoint) turns tracing on. */
  @IsOptional()
  @Matches(new RegExp(`^(${EXPORTERS.join('|')})(,(${EXPORTERS.join('|')}))*$`), {
    message: `OTEL_TRACES_EXPORTER must list exporters among ${EXPORTERS.join(', ')}, comma separated`,
  })
  OTEL_TRACES_EXPORTER?: string;

  /** The collector's base URL (`/v1/traces` is appended); setting it turns tracing on, with the otlp exporter. */
  @IsOptional()
  @Matches(URL, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The full URL spans are sent to, instead of the one `OTEL_EXPORTER_OTLP_ENDPOINT` gives. */
  @IsOptional()
  @Matches(URL, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** How spans are sent to the collector: `http/protobuf` (the default), `http/json` or `grpc`. */
  @IsOptional()
  @IsIn(PROTOCOLS, { message: `OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${PROTOCOLS.join(', ')}` })
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;

  /** The protocol of spans alone, over `OTEL_EXPORTER_OTLP_PROTOCOL`. */
  @IsOptional()
  @IsIn(PROTOCOLS, { message: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL must be one of ${PROTOCOLS.join(', ')}` })
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?: string;

  /** The service the spans are from; `sagaflow-api` or `sagaflow-worker` when unset. */
  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string;

  /** How long spans are batched before they are sent (5000 by default). */
  @IsOptional()
  @Matches(/^\d+$/, MILLISECONDS)
  OTEL_BSP_SCHEDULE_DELAY?: string;

  /** How long one export may take (30000 by default). */
  @IsOptional()
  @Matches(/^\d+$/, MILLISECONDS)
  OTEL_BSP_EXPORT_TIMEOUT?: string;
}

/** Whether the environment asks for traces: an exporter other than `none`, or an OTLP endpoint, and no `OTEL_SDK_DISABLED`. */
export function tracingRequested(env: TracingEnvironment): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',') ?? [];
  if (exporters.includes('none')) return false;
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}
