import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SagaClient, SagaInputInvalidError, type SagaRecord } from '@sagaflow/core';
import { SAGA_REDIS } from '@sagaflow/nestjs';
import type { Redis } from 'ioredis';
import { AppModule } from '../src/app.module';
import { LedgerService } from '../src/ledger.service';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// A prefix of its own, so that the run neither sees nor leaves anything among other keys.
const PREFIX = `example-${randomUUID().slice(0, 8)}`;

async function finished(sagas: SagaClient, id: string): Promise<SagaRecord> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const record = await sagas.get(id);
    if (['completed', 'compensated', 'compensation_failed'].includes(record.status)) return record;
    if (Date.now() > deadline) throw new Error(`Saga ${id} is still ${record.status} after 20 s.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a NestJS app with sagaflow installed from its packages', () => {
  let app: INestApplicationContext;
  let sagas: SagaClient;
  let ledger: LedgerService;

  before(async () => {
    app = await NestFactory.createApplicationContext(AppModule.register({ redisUrl: REDIS_URL, prefix: PREFIX }), {
      logger: ['error'],
    });
    app.enableShutdownHooks();
    sagas = app.get(SagaClient);
    ledger = app.get(LedgerService);
  });

  after(async () => {
    const redis = app.get<Redis>(SAGA_REDIS);
    const keys = await redis.keys(`*${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await app.close();
  });

  it('completes a transfer: the debit, then the credit, each once', async () => {
    const started = await sagas.start('transfer', { fromAccount: 'alice', toAccount: 'bob', amountCents: 500 });
    const record = await finished(sagas, started.id);

    assert.equal(record.status, 'completed');
    assert.deepEqual(
      record.steps.map((step) => [step.name, step.status]),
      [
        ['debit', 'succeeded'],
        ['credit', 'succeeded'],
      ],
    );
    assert.deepEqual(
      ledger.of('alice', 'bob').map(({ kind, account, amountCents }) => [kind, account, amountCents]),
      [
        ['debit', 'alice', 500],
        ['credit', 'bob', 500],
      ],
    );
  });

  it('compensates a transfer whose credit fails for good: the debit is given back, nothing is credited', async () => {
    const started = await sagas.start('transfer', { fromAccount: 'carol', toAccount: 'closed-dave', amountCents: 700 });
    const record = await finished(sagas, started.id);

    assert.equal(record.status, 'compensated');
    assert.equal(record.steps[1].status, 'failed');
    assert.equal(record.steps[1].attempts, 1, 'a permanent error is not retried');
    assert.equal(record.steps[1].error?.code, 'LEDGER.ACCOUNT_CLOSED');
    assert.deepEqual(
      ledger.of('carol', 'closed-dave').map(({ kind, account, amountCents }) => [kind, account, amountCents]),
      [
        ['debit', 'carol', 700],
        ['refund', 'carol', 700],
      ],
    );
  });

  it('refuses an invalid input with a typed error naming the field, and starts nothing', async () => {
    await assert.rejects(
      sagas.start('transfer', { fromAccount: 'erin', toAccount: 'frank', amountCents: 0 }),
      (error: unknown) =>
        error instanceof SagaInputInvalidError && error.fields.some((field) => field.field === 'amountCents'),
    );
    assert.deepEqual(ledger.of('erin', 'frank'), []);
  });
});
