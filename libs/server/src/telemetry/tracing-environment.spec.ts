import 'reflect-metadata';
import { validateEnvironment } from '../config/validate-environment';
import { TracingEnvironment, tracingRequested } from './tracing-environment';

const requested = (env: Record<string, string>) => tracingRequested(validateEnvironment(TracingEnvironment)(env));

describe('tracingRequested', () => {
  it('is false without any OTEL variable, and with only those that do not name an exporter or endpoint', () => {
    expect(requested({})).toBe(false);
    expect(requested({ OTEL_SERVICE_NAME: 'billing', OTEL_BSP_SCHEDULE_DELAY: '100' })).toBe(false);
  });

  it('is true with an OTLP endpoint, of all signals or of traces, or with an exporter', () => {
    expect(requested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(requested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces' })).toBe(true);
    expect(requested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  });

  it('is false when the exporters include none, or the SDK is disabled, whatever else is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(requested({ ...endpoint, OTEL_TRACES_EXPORTER: 'otlp,none' })).toBe(false);
    expect(requested({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('TracingEnvironment', () => {
  it.each([
    ['OTEL_TRACES_EXPORTER', 'jaeger', 'OTEL_TRACES_EXPORTER must list exporters among otlp, console, none'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL'],
    [
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'http',
      'OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json, grpc',
    ],
    ['OTEL_BSP_SCHEDULE_DELAY', '1s', 'OTEL_BSP_SCHEDULE_DELAY must be a whole number of milliseconds'],
    ['OTEL_SDK_DISABLED', 'yes', 'OTEL_SDK_DISABLED must be true or false'],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    expect(() => validateEnvironment(TracingEnvironment)({ [name]: value })).toThrow(message);
  });
});
