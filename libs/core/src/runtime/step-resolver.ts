import type { AnyStep, StepRef } from '../definition/saga-definition';

/** Turns a step reference of a definition into the instance that runs it (Nest resolves classes by DI). */
export type StepResolver = (ref: StepRef<AnyStep>) => AnyStep;

/** Without a container: instances as they are, classes built with no arguments. */
export const constructingResolver: StepResolver = (ref) =>
  typeof ref === 'function' ? new (ref as new () => AnyStep)() : ref;
