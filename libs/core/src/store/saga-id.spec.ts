import { newSagaId, SAGA_ID_PATTERN } from './saga-id';

describe('newSagaId', () => {
  it('makes version 7 UUIDs that match the id pattern', () => {
    const id = newSagaId();
    expect(id).toMatch(SAGA_ID_PATTERN);
    expect(id[14]).toBe('7');
  });

  it('orders ids by creation time when compared as strings', () => {
    const ids = [1_000, 2_000, 1_700_000_000_000, 1_700_000_000_001].map((ms) => newSagaId(ms));
    expect([...ids].sort()).toEqual(ids);
  });
});
