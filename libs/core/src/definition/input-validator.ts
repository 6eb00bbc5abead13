import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { Constructor, SagaDefinition } from './saga-definition';
import { SagaInputInvalidError, type InputFieldError } from '../errors/saga-input-invalid.error';

/**
 * Validates a saga's input against its class-validator rules. Fields the class does not declare are refused
 * rather than silently dropped, so a client's typo is reported, not persisted as missing data.
 */
export async function validateSagaInput<I extends object>(definition: SagaDefinition<I>, body: unknown): Promise<I> {
  const checked = await validateObject(definition.input, body);
  if (!checked.valid) throw new SagaInputInvalidError(definition.name, checked.errors);
  return checked.value;
}

/** Checks a plain object against a class-validator class, refusing undeclared fields; the instance, or the fields at fault. */
export async function validateObject<T extends object>(
  type: Constructor<T>,
  body: unknown,
): Promise<{ valid: true; value: T } | { valid: false; errors: InputFieldError[] }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { valid: false, errors: [{ field: '', messages: ['must be a JSON object'] }] };
  }
  // class-transformer's constructor type takes `any` arguments; ours keeps them `never` so no `any` leaks out.
  const value = plainToInstance(type as ClassConstructor<T>, body as object);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length > 0 ? { valid: false, errors: flattenValidationErrors(errors) } : { valid: true, value };
}

/** class-validator errors as one entry per field, by dotted path (`filter.status`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): InputFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
