import { toMilliseconds, type Duration } from '@sagaflow/core';
import { NatsOptionsInvalidError } from './nats-options-invalid.error';
import { isValidSubject } from './nats-subjects';

/** A stream or consumer name as JetStream takes it: no white space, `.`, `*`, `>`, `/` or `\`. */
// eslint-disable-next-line no-control-regex -- JetStream refuses control characters in names: the check names them.
const NAME_PATTERN = /^[^\s.*>/\\\u0000-\u001f\u007f]{1,255}$/;

/** Checks one option, naming it when it is wrong; shared by the source's and the sink's options. */
export const check = {
  name(option: string, value: string): string {
    if (!NAME_PATTERN.test(value))
      throw new NatsOptionsInvalidError(
        option,
        `is not a valid JetStream name (${JSON.stringify(value)}); use letters, digits, - and _`,
      );
    return value;
  },
  subject(option: string, value: string, wildcards: boolean): string {
    if (!isValidSubject(value, { wildcards })) {
      const what = wildcards ? 'a valid subject pattern' : 'a valid subject without wildcards';
      throw new NatsOptionsInvalidError(option, `is not ${what} (${JSON.stringify(value)})`);
    }
    return value;
  },
  duration(option: string, value: Duration, { min = 1 }: { min?: number } = {}): number {
    const ms = toMilliseconds(value);
    if (ms === undefined || ms < min) {
      throw new NatsOptionsInvalidError(
        option,
        `must be a duration of at least ${min} ms, such as 500 or '5s' (got ${JSON.stringify(value)})`,
      );
    }
    return ms;
  },
  integer(option: string, value: number, min: number): number {
    if (!Number.isInteger(value) || value < min)
      throw new NatsOptionsInvalidError(option, `must be an integer of at least ${min} (got ${value})`);
    return value;
  },
};
