import { durationSetting } from './duration-setting';

describe('durationSetting', () => {
  it('answers the fallback when the variable is unset or empty', () => {
    expect(durationSetting('LOYALTY_RETURN_WINDOW', '14d', {})).toBe('14d');
    expect(durationSetting('LOYALTY_RETURN_WINDOW', '14d', { LOYALTY_RETURN_WINDOW: '' })).toBe('14d');
  });

  it('accepts a duration with a unit', () => {
    expect(durationSetting('LOYALTY_RETURN_WINDOW', '14d', { LOYALTY_RETURN_WINDOW: '10s' })).toBe('10s');
  });

  it.each(['two weeks', '14', '0d', '-1d'])('throws for %j, naming the variable and the value', (value) => {
    expect(() => durationSetting('LOYALTY_RETURN_WINDOW', '14d', { LOYALTY_RETURN_WINDOW: value })).toThrow(
      new RegExp(`^Invalid configuration: LOYALTY_RETURN_WINDOW must be a positive duration .*; got "${value}"\\.`),
    );
  });
});
