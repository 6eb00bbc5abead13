import { consumerFilter } from './nats-streams';

describe('consumerFilter', () => {
  it('filters on nothing when the stream captures only what the source consumes', () => {
    expect(consumerFilter(['sagaflow.events.>'], ['sagaflow.events.>'])).toEqual([]);
    expect(consumerFilter(['sagaflow.events.a', 'sagaflow.events.b'], ['sagaflow.events.>'])).toEqual([]);
  });

  it("filters on the source's subjects when the stream captures others too", () => {
    expect(consumerFilter(['orders.>', 'sagaflow.events.>'], ['sagaflow.events.>'])).toEqual(['sagaflow.events.>']);
    expect(consumerFilter(['orders.>'], ['orders.placed', 'orders.paid'])).toEqual(['orders.placed', 'orders.paid']);
  });
});
