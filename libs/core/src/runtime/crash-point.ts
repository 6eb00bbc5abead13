import type { SagaDefinition } from '../definition/saga-definition';
import type { Phase } from '../store/transition';

/**
 * Where in a step's life the engine can be made to crash, for crash tests:
 * - `begun`: its attempt is recorded as begun, the step has not run;
 * - `ran`: the step (or its compensation) has returned, its effect is done, the engine has not recorded it;
 * - `recorded`: the outcome is recorded, the saga's next job is not yet added.
 * @publicApi
 */
export type CrashMoment = 'begun' | 'ran' | 'recorded';

/** One point: a step's run or compensation, at a moment. Written `saga/step/phase/moment`. @publicApi */
export interface CrashPoint {
  saga: string;
  step: string;
  phase: Phase;
  at: CrashMoment;
}

/** Called by the {@link StepExecutor} as a step passes each {@link CrashPoint}. @publicApi */
export type StepProbe = (point: CrashPoint) => void;

const MOMENTS: readonly CrashMoment[] = ['begun', 'ran', 'recorded'];

export function formatCrashPoint({ saga, step, phase, at }: CrashPoint): string {
  return `${saga}/${step}/${phase}/${at}`;
}

/** Parses `saga/step/phase/moment`; throws a message naming the expected form. */
export function parseCrashPoint(text: string): CrashPoint {
  const [saga, step, phase, at, ...rest] = text.split('/');
  if (
    !saga ||
    !step ||
    (phase !== 'run' && phase !== 'compensate') ||
    !MOMENTS.includes(at as CrashMoment) ||
    rest.length
  ) {
    throw new Error(`"${text}" is not a crash point: expected saga/step/(run|compensate)/(${MOMENTS.join('|')}).`);
  }
  return { saga, step, phase, at: at as CrashMoment };
}

/**
 * Every point a saga's steps can crash at: each step's run, and each compensation, at each moment. Waits and
 * sleeps are carried out by the engine and have none.
 * @publicApi
 */
export function crashPoints(definition: SagaDefinition): CrashPoint[] {
  const phases = (compensable: boolean): Phase[] => (compensable ? ['run', 'compensate'] : ['run']);
  return definition.steps
    .filter((step) => step.ref)
    .flatMap((step) =>
      phases(step.compensable).flatMap((phase) =>
        MOMENTS.map((at) => ({ saga: definition.name, step: step.name, phase, at })),
      ),
    );
}

/**
 * A probe that kills this process with SIGKILL (no cleanup, no goodbye: as a power cut would) when a step
 * passes `target`.
 * @publicApi
 */
export function crashProbe(
  target: CrashPoint,
  kill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): StepProbe {
  const wanted = formatCrashPoint(target);
  return (point) => {
    if (formatCrashPoint(point) === wanted) kill();
  };
}
