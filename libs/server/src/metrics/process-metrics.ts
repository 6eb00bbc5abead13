import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry with prom-client's process metrics (CPU, memory, heap, event loop lag, handles, GC), the base of a
 * process' `GET /metrics`. A registry of its own rather than prom-client's global one, so that nothing else
 * registered in the process shows up by accident.
 */
export function processMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
