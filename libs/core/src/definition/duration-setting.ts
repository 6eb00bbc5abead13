import { toMilliseconds, type Duration } from './duration';

/**
 * Reads a {@link Duration} from an environment variable (of `environment`, the app's `process.env`) such as `CHECKOUT_DELIVERY_TIMEOUT=5s`: a number with a
 * unit (`ms`, `s`, `m`, `h`, `d`), greater than zero. Unset or empty, the variable takes `fallback`.
 *
 * Read it where the saga's definition is built, so that a bad value stops the process at start-up, naming the
 * variable, rather than when the first saga reaches the step.
 * @throws Error when the value is not a positive duration
 * @publicApi
 */
export function durationSetting(
  name: string,
  fallback: Duration,
  environment: Readonly<Record<string, string | undefined>>,
): Duration {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim() as Duration;
  const ms = toMilliseconds(value);
  if (ms === undefined || ms < 1) {
    throw new Error(
      `Invalid configuration: ${name} must be a positive duration with a unit, such as '3d', '12h', '30m', '5s' ` +
        `or '500ms'; got "${raw}". Check your environment variables.`,
    );
  }
  return value;
}
