import { IsString } from 'class-validator';
import { defineSaga, type SagaData } from '@sagaflow/core';
import { crashTest } from './crash-test';
import { InvalidCrashTestOptionsError } from './errors';

class OrderInput {
  @IsString()
  orderId!: string;
}

class ReserveStep {
  async run(_data: SagaData<OrderInput, object>) {
    return {};
  }
}

const saga = defineSaga('order', { input: OrderInput }).step('reserve', ReserveStep).build();
const base = {
  saga,
  worker: { command: process.execPath, args: ['-e', 'process.exit(1)'] },
  redisUrl: 'redis://127.0.0.1:6379',
  prefix: 'crash-order',
  scenarios: [{ name: 'completes', expect: 'completed' as const, input: () => ({ orderId: 'o-1' }) }],
  invariants: () => undefined,
};

describe('crashTest', () => {
  it('refuses bad options before it starts any process', async () => {
    await expect(crashTest({ ...base, prefix: 'no spaces' })).rejects.toThrow(InvalidCrashTestOptionsError);
  });

  it('names redisUrl when Redis does not answer there', async () => {
    const refused = crashTest({ ...base, redisUrl: 'redis://127.0.0.1:1' });
    await expect(refused).rejects.toMatchObject({
      option: 'redisUrl',
      message: expect.stringMatching(/does not answer/),
    });
  });
});
