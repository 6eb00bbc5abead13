import type { ApiHeaderOptions } from '@nestjs/swagger';

/** The OpenAPI description of the W3C trace context header the starting routes continue. */
export const TRACEPARENT: ApiHeaderOptions = {
  name: 'traceparent',
  required: false,
  description:
    "W3C trace context (with `tracestate`): when tracing is on, the saga's spans join this trace. Without it, a saga gets a trace of its own.",
};
