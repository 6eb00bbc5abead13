import { groupRange, type SagaDefinition, type StepDefinition } from './saga-definition';

/**
 * Risks in a definition that building it does not refuse, as sentences to log at boot. A step without a
 * compensation is a pivot: once it has run, a later step that fails for good leaves it done while the steps
 * before it are undone, and the saga can no longer be cancelled. The steps beside it in a parallel group count
 * as after it.
 * @publicApi
 */
export function definitionWarnings(definition: SagaDefinition): string[] {
  const warnings: string[] = [];
  definition.steps.forEach((step, index) => {
    if (step.compensable || step.wait) return;
    // A step of a parallel group is also left done when a step beside it fails.
    const [first] = groupRange(definition, index) ?? [index];
    const failing = definition.steps
      .filter((_later, at) => at > index || (at >= first && at !== index))
      .filter(canFail)
      .map((later) => `"${later.name}"`);
    if (failing.length === 0) return;
    warnings.push(
      `Saga "${definition.name}" v${definition.version}: step "${step.name}" has no compensation and ${failing.join(', ')} ` +
        `after it can fail: if one fails for good, "${step.name}" stays done while the steps before it are ` +
        `compensated, and the saga cannot be cancelled once "${step.name}" has run. Give "${step.name}" a ` +
        'compensation, or make the steps after it retry until they succeed.',
    );
  });
  return warnings;
}

/** A step with an implementation can always fail; a wait only when its timeout fails it. */
function canFail(step: StepDefinition): boolean {
  return step.wait ? step.wait.onTimeout === 'fail' : true;
}
