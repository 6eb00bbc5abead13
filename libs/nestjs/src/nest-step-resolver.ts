import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AnyStep, StepRef } from '@sagaflow/core';

/** Resolves step classes from Nest's container (once each), and passes step objects through. */
@Injectable()
export class NestStepResolver {
  private readonly resolved = new Map<StepRef<AnyStep>, AnyStep>();

  constructor(private readonly moduleRef: ModuleRef) {}

  readonly resolve = (ref: StepRef<AnyStep>): AnyStep => {
    const known = this.resolved.get(ref);
    if (known) return known;
    const step = typeof ref === 'function' ? this.moduleRef.get(ref, { strict: false }) : ref;
    if (!step) throw new Error(`No provider for step class ${(ref as { name?: string }).name}.`);
    this.resolved.set(ref, step);
    return step;
  };
}
