// What the stock API and worker share, and the samples' controllers with them: the environment they read,
// their logging, and the API's error body. Not published: an app of your own brings its own configuration.
export * from './config/saga-environment';
export * from './config/validate-environment';
export * from './config/logger-params';
export * from './http/error-body';
export * from './http/error.response';
export * from './http/api-error-responses.decorator';
export * from './metrics/process-metrics';
export * from './telemetry/tracing-environment';
export * from './telemetry/tracing';
