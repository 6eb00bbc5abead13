import { ApiKeys } from './api-keys';

describe('ApiKeys', () => {
  const keys = ApiKeys.parse(' key-one , ,key-two ');

  it('accepts each configured key and nothing else', () => {
    expect(keys.enabled).toBe(true);
    expect(keys.matches('key-one')).toBe(true);
    expect(keys.matches('key-two')).toBe(true);
    expect(keys.matches('key-on')).toBe(false);
    expect(keys.matches('')).toBe(false);
    expect(keys.matches(' key-one')).toBe(false);
  });

  it('is disabled without keys', () => {
    expect(ApiKeys.parse(undefined).enabled).toBe(false);
    expect(ApiKeys.parse(' , ').enabled).toBe(false);
  });

  it('makes sessions that hold until they expire, and only for a configured key', () => {
    const now = 1_000_000;
    const session = keys.session('key-two', now + 60_000);
    expect(keys.validSession(session, now)).toBe(true);
    expect(keys.validSession(session, now + 60_000)).toBe(false);
    expect(keys.validSession(ApiKeys.parse('other').session('other', now + 60_000), now)).toBe(false);
    expect(keys.validSession(session.replace(/^\d+/, String(now + 120_000)), now)).toBe(false);
    expect(keys.validSession(undefined, now)).toBe(false);
    expect(keys.validSession('garbage', now)).toBe(false);
  });
});
