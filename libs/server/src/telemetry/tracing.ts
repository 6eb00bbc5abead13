import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { validateEnvironment } from '../config/validate-environment';
import { TracingEnvironment, tracingRequested } from './tracing-environment';

/** The SDK this process started: one per process, as OpenTelemetry registers it globally. */
let sdk: NodeSDK | undefined;

/**
 * Starts the standard OpenTelemetry SDK when the environment asks for traces (see {@link tracingRequested}), with
 * `defaultServiceName` as the service unless `OTEL_SERVICE_NAME` (or `service.name` in `OTEL_RESOURCE_ATTRIBUTES`)
 * names one. Call it before Nest makes the engine: the saga client and the step executor look for an SDK once,
 * when they are made. Import {@link TracingModule} too, so that the last spans are sent on shutdown.
 * @returns whether tracing started
 * @throws when one of the variables of {@link TracingEnvironment} is malformed, naming it
 */
export function startTracing(defaultServiceName: string, environment: Record<string, string | undefined>): boolean {
  const env = validateEnvironment(TracingEnvironment)(environment);
  if (!tracingRequested(env) || sdk) return Boolean(sdk);
  const named = env.OTEL_SERVICE_NAME || /(^|,)\s*service\.name\s*=/.test(environment.OTEL_RESOURCE_ATTRIBUTES ?? '');
  sdk = new NodeSDK({
    ...(!named && { serviceName: defaultServiceName }),
    // Traces only: the apps' metrics are Prometheus' (GET /metrics) and their logs pino's.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return true;
}

/** Sends the spans still batched and stops the SDK, when this process started one. */
export async function stopTracing(): Promise<void> {
  const started = sdk;
  sdk = undefined;
  await started?.shutdown();
}

/** Stops the SDK this process started ({@link startTracing}) as the app shuts down, after the workers have. */
@Module({})
export class TracingModule implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
