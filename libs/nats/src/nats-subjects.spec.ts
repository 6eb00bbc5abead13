import { coveredByAny, isValidSubject, lifecycleSubject, subjectCovers } from './nats-subjects';

describe('isValidSubject', () => {
  it.each(['orders', 'sagaflow.events.order.placed', 'a-b_c.D1'])('accepts the literal subject %s', (subject) => {
    expect(isValidSubject(subject, { wildcards: false })).toBe(true);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a b', 'a.*', 'a.>', 'a*.b', 'a.b>'])(
    'refuses %j where wildcards are not allowed',
    (subject) => {
      expect(isValidSubject(subject, { wildcards: false })).toBe(false);
    },
  );

  it('accepts * anywhere and > only as the last token when wildcards are allowed', () => {
    expect(isValidSubject('sagaflow.*.placed', { wildcards: true })).toBe(true);
    expect(isValidSubject('sagaflow.events.>', { wildcards: true })).toBe(true);
    expect(isValidSubject('>', { wildcards: true })).toBe(true);
    expect(isValidSubject('sagaflow.>.placed', { wildcards: true })).toBe(false);
  });
});

describe('subjectCovers', () => {
  it.each([
    ['a.b', 'a.b'],
    ['a.*', 'a.b'],
    ['a.>', 'a.b'],
    ['a.>', 'a.b.c'],
    ['a.>', 'a.*.c'],
    ['a.>', 'a.>'],
    ['>', 'a'],
    ['*.b', 'a.b'],
    ['a.*.c', 'a.*.c'],
  ])('%s covers %s', (outer, inner) => {
    expect(subjectCovers(outer, inner)).toBe(true);
  });

  it.each([
    ['a.b', 'a.c'],
    ['a.b', 'a.b.c'],
    ['a.b.c', 'a.b'],
    ['a.*', 'a.b.c'],
    ['a.*', 'a.>'],
    ['a.>', 'a'],
    ['a.b', 'a.*'],
    ['a.*.c', 'a.>'],
  ])('%s does not cover %s', (outer, inner) => {
    expect(subjectCovers(outer, inner)).toBe(false);
  });

  it('finds a covering pattern among several', () => {
    expect(coveredByAny(['x.>', 'sagaflow.events.>'], 'sagaflow.events.order.placed')).toBe(true);
    expect(coveredByAny(['x.>', 'sagaflow.events.>'], 'sagaflow.dead-letter')).toBe(false);
  });
});

describe('lifecycleSubject', () => {
  it('puts the event type under the prefix, its dots becoming subject tokens', () => {
    expect(lifecycleSubject('sagaflow.lifecycle', 'saga.step.succeeded')).toBe(
      'sagaflow.lifecycle.saga.step.succeeded',
    );
  });
});
