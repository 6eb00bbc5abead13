import type { SagaDefinition } from '../definition/saga-definition';
import type { ReceivedSignal, SignalsView } from '../definition/saga-step';
import type { SignalRecord } from '../store/saga-record';

/**
 * A saga's signals as its steps (`ctx.signals`) and queries see them: by name, oldest first, with an empty list
 * for each name the definition declares and the saga has not received.
 */
export function signalsView(definition: SagaDefinition, signals: readonly SignalRecord[]): SignalsView<object> {
  const byName: Record<string, ReceivedSignal[]> = {};
  for (const name of Object.keys(definition.signals)) byName[name] = [];
  for (const { name, seq, at, payload } of signals) {
    (byName[name] ??= []).push({ seq, at, payload: payload as Record<string, unknown> });
  }
  return byName;
}
