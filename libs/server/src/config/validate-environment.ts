import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Builds the `validate` function of `ConfigModule.forRoot`: the environment is converted to the given class
 * (defaults included) and checked with its class-validator rules, so a bad setting stops the boot with the
 * variable named instead of failing later.
 * @publicApi
 */
export function validateEnvironment<T extends object>(schema: ClassConstructor<T>) {
  return (environment: Record<string, unknown>): T => {
    const config = plainToInstance(schema, environment, { enableImplicitConversion: true, exposeDefaultValues: true });
    const errors = validateSync(config, { skipMissingProperties: false });
    if (errors.length > 0) {
      const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
      throw new Error(`Invalid configuration: ${problems.join('; ')}. Check your environment variables.`);
    }
    return config;
  };
}
