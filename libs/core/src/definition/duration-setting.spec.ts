import { durationSetting } from './duration-setting';

describe('durationSetting', () => {
  it('answers the fallback when the variable is unset or empty', () => {
    expect(durationSetting('CHECKOUT_DELIVERY_TIMEOUT', '3d', {})).toBe('3d');
    expect(durationSetting('CHECKOUT_DELIVERY_TIMEOUT', '3d', { CHECKOUT_DELIVERY_TIMEOUT: '' })).toBe('3d');
  });

  it.each(['5s', '500ms', '1.5h', '3d', ' 2m '])('accepts %j', (value) => {
    expect(durationSetting('CHECKOUT_DELIVERY_TIMEOUT', '3d', { CHECKOUT_DELIVERY_TIMEOUT: value })).toBe(value.trim());
  });

  it.each(['soon', '5', '-5s', '0s', '3 days', '5S'])('throws for %j, naming the variable and the value', (value) => {
    expect(() => durationSetting('CHECKOUT_DELIVERY_TIMEOUT', '3d', { CHECKOUT_DELIVERY_TIMEOUT: value })).toThrow(
      `Invalid configuration: CHECKOUT_DELIVERY_TIMEOUT must be a positive duration with a unit, such as '3d', '12h', '30m', '5s' or '500ms'; got "${value}".`,
    );
  });
});
