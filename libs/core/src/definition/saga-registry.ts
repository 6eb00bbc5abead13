import type { SagaDefinition } from './saga-definition';
import { InvalidSagaDefinitionError } from '../errors/invalid-saga-definition.error';
import { SagaDefinitionNotFoundError } from '../errors/saga-definition-not-found.error';

/** The saga definitions this process knows, by name and version. */
export class SagaRegistry {
  private readonly byName = new Map<string, Map<number, SagaDefinition>>();
  /** Names of the sagas that registered ones start as children. */
  private readonly childNames = new Set<string>();

  register(definition: SagaDefinition): void {
    const versions = this.byName.get(definition.name) ?? new Map<number, SagaDefinition>();
    const existing = versions.get(definition.version);
    if (existing && existing !== definition) {
      throw new InvalidSagaDefinitionError(
        definition.name,
        `version ${definition.version} is registered twice with different definitions; give the new one a higher version.`,
      );
    }
    versions.set(definition.version, definition);
    this.byName.set(definition.name, versions);
    for (const step of definition.steps) if (step.child) this.childNames.add(step.child.saga);
  }

  /** Whether a registered saga starts sagas of this name as children. */
  startsAsChild(name: string): boolean {
    return this.childNames.has(name);
  }

  /** The newest version of a saga: the one new sagas start on. */
  latest(name: string): SagaDefinition {
    const versions = this.byName.get(name);
    if (!versions) throw new SagaDefinitionNotFoundError(name);
    return versions.get(Math.max(...versions.keys())) as SagaDefinition;
  }

  get(name: string, version: number): SagaDefinition {
    const definition = this.byName.get(name)?.get(version);
    if (!definition) throw new SagaDefinitionNotFoundError(name, version);
    return definition;
  }

  /** Like {@link get}, `undefined` instead of throwing. */
  find(name: string, version: number): SagaDefinition | undefined {
    return this.byName.get(name)?.get(version);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  all(): SagaDefinition[] {
    return [...this.byName.values()].flatMap((versions) => [...versions.values()]);
  }
}
