import { NatsOptionsInvalidError } from './nats-options-invalid.error';
import { resolveNatsEventSinkOptions } from './nats-event-sink-options';

describe('resolveNatsEventSinkOptions', () => {
  it('fills in the defaults, keeping events until removed', () => {
    expect(resolveNatsEventSinkOptions()).toEqual({
      stream: 'SAGAFLOW_LIFECYCLE',
      subjectPrefix: 'sagaflow.lifecycle',
      duplicateWindowMs: 120_000,
      maxAgeMs: undefined,
      publishTimeoutMs: 5_000,
    });
  });

  it('takes a maximum age', () => {
    expect(resolveNatsEventSinkOptions({ maxAge: '7d' }).maxAgeMs).toBe(7 * 86_400_000);
  });

  it.each([
    [{ subjectPrefix: 'sagaflow.*' }, 'subjectPrefix'],
    [{ subjectPrefix: '' }, 'subjectPrefix'],
    [{ stream: 'a>b' }, 'stream'],
    [{ duplicateWindow: -1 }, 'duplicateWindow'],
    [{ publishTimeout: '0ms' }, 'publishTimeout'],
  ] as const)('refuses %j, naming %s', (options, option) => {
    expect(() => resolveNatsEventSinkOptions(options)).toThrow(NatsOptionsInvalidError);
    expect(() => resolveNatsEventSinkOptions(options)).toThrow(`"${option}"`);
  });
});
