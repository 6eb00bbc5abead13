import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { SagaDefinition } from '../definition/saga-definition';
import { SagaInputInvalidError, type InputFieldError } from '../errors/saga-input-invalid.error';

/**
 * Validates a saga's input against its class-validator rules. Fields the class does not declare are refused
 * rather than silently dropped, so a client's typo is reported, not persisted as missing data.
 */
export async function validateSagaInput<I extends object>(definition: SagaDefinition<I>, body: unknown): Promise<I> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SagaInputInvalidError(definition.name, [{ field: '', messages: ['the input must be a JSON object'] }]);
  }
  // class-transformer's constructor type takes `any` arguments; ours keeps them `never` so no `any` leaks out.
  const input = plainToInstance(definition.input as ClassConstructor<I>, body as object);
  const errors = await validate(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new SagaInputInvalidError(definition.name, flatten(errors));
  return input;
}

function flatten(errors: ValidationError[], parent = ''): InputFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
