import { IsString } from 'class-validator';
import { defineSaga, type SagaLogger } from '@sagaflow/core';
import { Input, recordingStep } from '../engine/engine.fixture';

const fast = { retry: { attempts: 3, backoff: 10 } };

export class Delivered {
  @IsString()
  carrier!: string;
}

/** greet: started by `customer.registered`, one step. */
export function welcomeSaga(calls: string[]) {
  return defineSaga('welcome', { input: Input, startOn: ['customer.registered'] })
    .step('greet', recordingStep(calls, 'greet'), fast)
    .build();
}

/** ship → wait for `shipment.delivered` keyed by order id → close. */
export function deliverySaga(calls: string[]) {
  return defineSaga('delivery', { input: Input, startOn: ['order.placed'] })
    .step('ship', recordingStep(calls, 'ship'), fast)
    .waitFor('awaitDelivery', {
      event: 'shipment.delivered',
      key: ({ input }) => input.orderId,
      timeout: '20s',
      payload: Delivered,
    })
    .step('close', recordingStep(calls, 'close'), fast)
    .build();
}

/** Keeps what the source and sink log, to assert on it and to show it when a test fails. */
export function recordingLogger(lines: string[]): SagaLogger {
  return {
    log: (message) => lines.push(`log ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}
