import { IsString } from 'class-validator';
import { defineSaga } from './define-saga';
import { definitionWarnings } from './definition-warnings';

class Input {
  @IsString()
  orderId!: string;
}
const undoable = { run: async () => ({}), compensate: async () => undefined };
const final = { run: async () => ({}) };

describe('definitionWarnings', () => {
  it('names a step without compensation that steps able to fail follow, and those steps', () => {
    const saga = defineSaga('order', { input: Input })
      .step('reserve', undoable)
      .step('notify', final)
      .sleep('hold', '1d')
      .step('charge', undoable)
      .build();
    const [warning, ...rest] = definitionWarnings(saga);
    expect(rest).toEqual([]);
    expect(warning).toContain('step "notify" has no compensation and "charge" after it can fail');
  });

  it('counts the steps beside one without compensation in a parallel group as after it', () => {
    const saga = defineSaga('order', { input: Input })
      .parallel('prepare', (group) => group.step('reserve', undoable).step('notify', final))
      .build();
    expect(definitionWarnings(saga)).toEqual([
      expect.stringContaining('step "notify" has no compensation and "reserve"'),
    ]);
  });

  it('says nothing when the steps without compensation come last, or only waits that go on follow them', () => {
    const last = defineSaga('a', { input: Input }).step('reserve', undoable).step('notify', final).build();
    const calm = defineSaga('b', { input: Input })
      .step('notify', final)
      .sleep('hold', '1d')
      .waitFor('ack', { event: 'x.acked', key: ({ input }) => input.orderId, timeout: '1d', onTimeout: 'continue' })
      .build();
    expect(definitionWarnings(last)).toEqual([]);
    expect(definitionWarnings(calm)).toEqual([]);
  });

  it('counts a wait that fails on timeout as a step that can fail', () => {
    const saga = defineSaga('c', { input: Input })
      .step('notify', final)
      .waitFor('ack', { event: 'x.acked', key: ({ input }) => input.orderId, timeout: '1d' })
      .build();
    expect(definitionWarnings(saga)[0]).toContain('"ack" after it can fail');
  });
});
