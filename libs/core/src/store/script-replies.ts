import { SagaAlreadyExistsError } from '../errors/saga-already-exists.error';
import { SagaIdempotencyConflictError } from '../errors/saga-idempotency-conflict.error';
import type { SagaStatus } from './saga-record';
import type {
  AttemptData,
  BeginResult,
  CancelOutcome,
  OperatorOutcome,
  RemoveOutcome,
  SagaCursor,
  SignalOutcome,
  StartOutcome,
  TraceCarrier,
  Transition,
} from './transition';

/**
 * The first element of every reply of the store's scripts (`lua/*.lua`): one value for one meaning, in every
 * script, as their headers document. Only this file reads them: each becomes an outcome or a named error below.
 */
export const ScriptCode = {
  /** The transition was applied: `{ 1, status, phase, cursor, gen, … }`. */
  Applied: 1,
  /** No saga has this id. */
  SagaMissing: -1,
  /** A start found a saga with this id already. */
  SagaExists: -2,
  /** The job's cursor is not the saga's (a duplicate or a late job): `{ -3, status, phase, cursor, gen }`. */
  Stale: -3,
  /** The saga's status does not allow the operation: `{ -4, status }`. */
  WrongStatus: -4,
  /**
   * The idempotency key was used for the same request: a start's, by a saga started with the same input
   * (`{ -5, sagaId }`); a signal's, for the same signal (`{ -5, seq }`).
   */
  IdempotentReplay: -5,
  /**
   * The idempotency key was used for another request: a start's, by a saga started with another input
   * (`{ -6, sagaId }`); a signal's, for another signal or payload (`{ -6, seq }`).
   */
  IdempotencyConflict: -6,
  /** A cancellation found a step without compensation run or running: `{ -7, status, step }`. */
  PastPivot: -7,
  /** A removal found the saga not due: its retention is not over, or it is not scheduled. */
  NotDue: -8,
} as const;

export type ScriptCode = (typeof ScriptCode)[keyof typeof ScriptCode];

/** A script's reply: its {@link ScriptCode}, then strings (Redis turns Lua numbers in a table into integers). */
export type ScriptReply = [number, ...(string | null)[]];

/** What a start did; a clash of id or of idempotency key is an error. */
export function startOutcome(reply: ScriptReply, sagaId: string, idempotencyKey = ''): StartOutcome {
  const [code, owner] = reply;
  if (code === ScriptCode.SagaExists) throw new SagaAlreadyExistsError(sagaId);
  if (code === ScriptCode.IdempotentReplay) return { outcome: 'existing', sagaId: owner as string };
  if (code === ScriptCode.IdempotencyConflict) throw new SagaIdempotencyConflictError(idempotencyKey, owner as string);
  return { outcome: 'created', sagaId, status: reply[2] === 'queued' ? 'queued' : 'running' };
}

export function beginResult(reply: ScriptReply): BeginResult {
  return reply[0] === ScriptCode.Applied ? { outcome: 'ready', ...toAttemptData(reply.slice(1)) } : rejected(reply);
}

export function toTransition(reply: ScriptReply): Transition {
  return reply[0] === ScriptCode.Applied ? { outcome: 'applied', cursor: toCursor(reply) } : rejected(reply);
}

export function cancelOutcome(reply: ScriptReply): CancelOutcome {
  switch (reply[0]) {
    case ScriptCode.Applied: {
      const [index, event, key] = [reply[5], reply[6], reply[7]];
      const stoppedWait = index ? { index: Number(index), ...(event && key && { event, key }) } : undefined;
      return { outcome: 'applied', cursor: toCursor(reply), ...(stoppedWait && { stoppedWait }) };
    }
    case ScriptCode.SagaMissing:
      return { outcome: 'missing' };
    case ScriptCode.PastPivot:
      return { outcome: 'past-pivot', status: reply[1] as SagaStatus, step: reply[2] as string };
    default:
      return { outcome: 'conflict', status: reply[1] as SagaStatus };
  }
}

export function operatorOutcome(reply: ScriptReply): OperatorOutcome {
  if (reply[0] === ScriptCode.Applied) return { outcome: 'applied', cursor: toCursor(reply) };
  if (reply[0] === ScriptCode.SagaMissing) return { outcome: 'missing' };
  return { outcome: 'conflict', status: reply[1] as SagaStatus };
}

export function signalOutcome(reply: ScriptReply): SignalOutcome {
  switch (reply[0]) {
    case ScriptCode.Applied: {
      const endedWait = reply[6] === undefined || reply[6] === null ? undefined : Number(reply[6]);
      return {
        outcome: 'applied',
        seq: Number(reply[5]),
        cursor: toCursor(reply),
        ...(endedWait !== undefined && { endedWait }),
      };
    }
    case ScriptCode.SagaMissing:
      return { outcome: 'missing' };
    case ScriptCode.IdempotentReplay:
      return { outcome: 'replay', seq: Number(reply[1]) };
    case ScriptCode.IdempotencyConflict:
      return { outcome: 'key-conflict', seq: Number(reply[1]) };
    default:
      return { outcome: 'conflict', status: reply[1] as SagaStatus };
  }
}

export function removeOutcome(reply: ScriptReply): RemoveOutcome {
  return reply[0] === ScriptCode.Applied ? { outcome: 'removed', name: reply[1] as string } : { outcome: 'skipped' };
}

/** The input, trace context and outputs that follow the cursor in a reply that begins an attempt. */
export function toAttemptData([input, trace, ...outputs]: ScriptReply[number][]): AttemptData {
  const data: AttemptData = {
    input: JSON.parse(String(input)),
    outputs: outputs.map((output) => (output ? JSON.parse(String(output)) : undefined)),
  };
  // Set only for a traced saga: an untraced step's data is built as before.
  if (trace) data.trace = JSON.parse(String(trace)) as TraceCarrier;
  return data;
}

function rejected(reply: ScriptReply): Exclude<Transition, { outcome: 'applied' }> {
  return reply[0] === ScriptCode.SagaMissing ? { outcome: 'missing' } : { outcome: 'stale', cursor: toCursor(reply) };
}

/** The cursor a reply carries after its code: status, phase, cursor index, gen. */
export function toCursor(reply: ScriptReply): SagaCursor {
  const [, status, phase, index, gen] = reply;
  return {
    status: status as SagaStatus,
    phase: (phase ?? '') as SagaCursor['phase'],
    ...(index ? { index: Number(index) } : {}),
    gen: Number(gen),
  };
}
