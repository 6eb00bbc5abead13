import { performance } from 'node:perf_hooks';
import { IsString, Length } from 'class-validator';
import { defineSaga, type SagaData, type StepContext } from '@sagaflow/core';

/** The bench saga's input: one validated field, as small as an input gets. */
export class BenchInput {
  @IsString()
  @Length(1, 64)
  orderId!: string;
}

/** Called with the start and end (monotonic ms) of every step run, when the process records them. */
type StepRecorder = (sagaId: string, index: number, startedAt: number, endedAt: number) => void;
let recorder: StepRecorder | undefined;

export function recordSteps(record: StepRecorder | undefined): void {
  recorder = record;
}

/** Step runs in this process since the last {@link resetStepRuns}: what the bench counts throughput by. */
let stepRuns = 0;

export function countStepRuns(): number {
  return stepRuns;
}

export function resetStepRuns(): void {
  stepRuns = 0;
}

/** A no-op step that returns a small output; it counts its runs, and notes its start and end when asked to. */
function noopStep<Out>(index: number, output: Out) {
  return {
    async run(_data: SagaData<BenchInput, object>, ctx: StepContext): Promise<Out> {
      stepRuns++;
      if (recorder) {
        const startedAt = performance.now();
        recorder(ctx.sagaId, index, startedAt, performance.now());
      }
      return output;
    },
  };
}

/** What the bench saga's steps return, in order. */
export const BENCH_OUTPUTS = [{ reservationId: 'r-1' }, { chargeId: 'c-1', amountCents: 100 }, { shipmentId: 's-1' }];

/** Three no-op steps with small outputs, default options (3 attempts, 60 s timeout). */
export const benchSaga = defineSaga('bench', { input: BenchInput })
  .step('reserve', noopStep(0, BENCH_OUTPUTS[0]))
  .step('charge', noopStep(1, BENCH_OUTPUTS[1]))
  .step('ship', noopStep(2, BENCH_OUTPUTS[2]))
  .build();

export const BENCH_STEPS = benchSaga.steps.length;
