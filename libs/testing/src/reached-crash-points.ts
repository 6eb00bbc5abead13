import {
  crashPoints,
  formatCrashPoint,
  type CrashMoment,
  type CrashPoint,
  type HistoryEntry,
  type SagaDefinition,
} from '@sagaflow/core';

/** The moments a history entry shows a step (or its compensation) to have passed. */
const PASSED: Partial<Record<HistoryEntry['type'], { phase: CrashPoint['phase']; moments: CrashMoment[] }>> = {
  'step.started': { phase: 'run', moments: ['begun'] },
  'step.succeeded': { phase: 'run', moments: ['ran', 'recorded'] },
  'compensation.started': { phase: 'compensate', moments: ['begun'] },
  'compensation.succeeded': { phase: 'compensate', moments: ['ran', 'recorded'] },
};

/**
 * The crash points a run of the saga passed, in the order it passed them, read from its history: an attempt is
 * `begun` at `step.started` (or `compensation.started`), and has `ran` and is `recorded` at `step.succeeded` (or
 * `compensation.succeeded`). An attempt that fails passes `begun` only; a skipped step, a wait and a sleep pass
 * none. Each point is listed once, however many attempts passed it.
 * @publicApi
 */
export function reachedCrashPoints(definition: SagaDefinition, history: readonly HistoryEntry[]): CrashPoint[] {
  const existing = new Set(crashPoints(definition).map(formatCrashPoint));
  const reached = new Map<string, CrashPoint>();
  for (const entry of history) {
    const passed = PASSED[entry.type];
    if (!passed || entry.step === undefined) continue;
    for (const at of passed.moments) {
      const point: CrashPoint = { saga: definition.name, step: entry.step, phase: passed.phase, at };
      const label = formatCrashPoint(point);
      if (existing.has(label) && !reached.has(label)) reached.set(label, point);
    }
  }
  return [...reached.values()];
}

/**
 * Splits the points asked for into those a scenario reached (in the order it reached them) and those it did not;
 * without a selection, every reached point is run.
 * @publicApi
 */
export function selectCrashPoints(
  reached: readonly CrashPoint[],
  wanted?: readonly CrashPoint[],
): { run: CrashPoint[]; unreached: CrashPoint[] } {
  if (!wanted) return { run: [...reached], unreached: [] };
  const asked = new Set(wanted.map(formatCrashPoint));
  const passed = new Set(reached.map(formatCrashPoint));
  return {
    run: reached.filter((point) => asked.has(formatCrashPoint(point))),
    unreached: wanted.filter((point) => !passed.has(formatCrashPoint(point))),
  };
}
