import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Fails when the decorated property equals `property` of the same object. The error is reported on the
 * decorated property, so put it on the field a client should change.
 */
export function DiffersFrom(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'differsFrom',
      constraints: [property],
      validator: {
        validate: (value, args) => value !== (args?.object as Record<string, unknown> | undefined)?.[property],
        defaultMessage: (args) => `${args?.property ?? 'value'} must differ from ${property}`,
      },
    },
    options,
  );
}
