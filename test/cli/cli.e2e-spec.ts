import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BulkOperation, PublishResult, SagaRecord } from '@sagaflow/core';
import { order } from '../checkout/order.fixture';
import { transfer } from '../faults/transfer.fixture';
import { SagaflowSystem } from '../support/apps';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '..', '..');
/** What `npx sagaflow` runs, in this repository (the root's bin) and from an install of `@sagaflow/cli`. */
const LAUNCHER = join(ROOT, 'libs', 'cli', 'dist', 'main.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user does (`npx sagaflow …`), with only the given SAGAFLOW_* variables. */
function sagaflow(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  if (!existsSync(LAUNCHER)) {
    throw new Error('libs/cli/dist is missing: run "npm run build" first (npm test does).');
  }
  const { SAGAFLOW_URL: _url, SAGAFLOW_API_KEY: _key, ...inherited } = process.env;
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: ROOT, env: { ...inherited, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The `sagaflow` CLI, built and run as a child process against the built API and worker: each command's
 * tables, `--json`, and its exit codes (0 success, 1 API error, 2 bad usage).
 */
describe('sagaflow CLI', () => {
  describe('against an open API', () => {
    let system: SagaflowSystem;
    let cli: (...args: string[]) => Promise<CliResult>;
    const statusOf = async (id: string) => JSON.parse((await cli('status', id, '--json')).stdout) as SagaRecord;

    beforeAll(async () => {
      system = await SagaflowSystem.start();
      cli = (...args) => sagaflow(args, { SAGAFLOW_URL: system.baseUrl });
    });
    afterAll(() => system.stop());

    it('starts a transfer with tags, lists it by them, and reruns it once per idempotency key', async () => {
      const customer = `c-${Date.now()}`;
      const started = await cli(
        'start',
        'transfer',
        '--input',
        JSON.stringify(transfer()),
        '--tags',
        `customerId:${customer},region:eu`,
      );
      const [, id] = started.stdout.match(/^Started: transfer ([^\s,]+)/) ?? [];
      expect(id).toBeDefined();
      expect((await statusOf(id)).tags).toEqual({ customerId: customer, region: 'eu' });
      await waitFor(
        () => statusOf(id),
        (saga) => saga.status === 'completed',
        { intervalMs: 100 },
      );

      const rerun = await cli('rerun', id, '--idempotency-key', `again-${id}`);
      expect(rerun).toMatchObject({ code: 0, stderr: '' });
      const [, rerunId] = rerun.stdout.match(/^Rerun started: transfer ([^\s,]+)/) ?? [];
      expect((await statusOf(rerunId)).rerunOf).toBe(id);
      expect((await cli('rerun', id, '--idempotency-key', `again-${id}`)).stdout).toMatch(
        new RegExp(`^Already rerun \\(same idempotency key\\): transfer ${rerunId}`),
      );

      const listed = await cli('list', '--tags', `customerId:${customer}`, '--json');
      expect((JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((saga) => saga.id)).toEqual([
        rerunId,
        id,
      ]);
      const refused = await cli('start', 'transfer', '--input', JSON.stringify(transfer()), '--tags', 'no-colon');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/tag/);
    });

    it('starts a transfer, shows it completed with its steps and history, and lists it', async () => {
      const input = transfer();
      const started = await cli('start', 'transfer', '--input', JSON.stringify(input));
      expect(started).toMatchObject({ code: 0, stderr: '' });
      const [, id] = started.stdout.match(/^Started: transfer (\S+), status running/) ?? [];
      expect(id).toBeDefined();

      const done = await waitFor(
        () => statusOf(id),
        (saga) => saga.status === 'completed',
        { intervalMs: 100 },
      );
      expect(done.input).toEqual(input);

      const status = await cli('status', id);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(new RegExp(`^Saga: +${id}$`, 'm'));
      expect(status.stdout).toMatch(/^Status: +completed$/m);
      expect(status.stdout).toMatch(/^STEP +STATUS +ATTEMPTS +ERROR$/m);
      for (const step of done.steps) expect(status.stdout).toMatch(new RegExp(`^${step.name} +succeeded +1$`, 'm'));
      expect(status.stdout).toMatch(/^AT +EVENT +STEP +ATTEMPT +DETAIL$/m);
      expect(status.stdout).toMatch(/saga\.completed/);

      const listed = await cli('list', '--status', 'completed', '--name', 'transfer');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^ID +NAME +STATUS +CREATED +UPDATED$/m);
      expect(listed.stdout).toMatch(new RegExp(`^${id} +transfer +completed `, 'm'));

      const page = JSON.parse((await cli('list', '--status', 'completed', '--json')).stdout);
      expect(page.items.map((saga: { id: string }) => saga.id)).toContain(id);
    });

    it('answers the first saga when started again with the same idempotency key, from an input file', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'sagaflow-cli-')), 'input.json');
      writeFileSync(file, JSON.stringify(transfer()));
      const key = `cli-${Date.now()}`;
      const first = await cli('start', 'transfer', '--input-file', file, '--idempotency-key', key);
      expect(first.code).toBe(0);
      const [, id] = first.stdout.match(/^Started: transfer (\S+)/) ?? [];
      expect(id).toBeDefined();

      const again = await cli('start', 'transfer', '--input-file', file, '--idempotency-key', key);
      expect(again).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^Already started \(same idempotency key\): transfer /),
      });
      expect(again.stdout).toContain(id);
    });

    it('publishes order.placed, then cancels the waiting checkout it started, which ends compensated', async () => {
      const input = order();
      const published = await cli('publish', 'order.placed', '--payload', JSON.stringify(input));
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/^Event \S+: 1 started, 0 resumed, 0 rejected\.$/m);
      const [, id] = published.stdout.match(/^started +(\S+)/m) ?? [];
      expect(id).toBeDefined();

      await waitFor(
        () => statusOf(id),
        (saga) => saga.status === 'waiting',
        { intervalMs: 100 },
      );
      const waiting = await cli('status', id);
      expect(waiting.stdout).toMatch(
        new RegExp(
          `^Waiting for: +event shipment\\.delivered with key ${input.orderId} at step awaitDelivery, until `,
          'm',
        ),
      );

      const cancelled = await cli('cancel', id, '--reason', 'customer request');
      expect(cancelled).toMatchObject({ code: 0, stdout: `Cancelling: checkout ${id}, status compensating\n` });
      const done = await waitFor(
        () => statusOf(id),
        (saga) => saga.status === 'compensated',
        { intervalMs: 100 },
      );
      expect(done.cancellation).toMatchObject({ reason: 'customer request' });
      expect((await cli('status', id)).stdout).toMatch(/^Cancelled: +\S+ \(customer request\)$/m);

      const again = await cli('cancel', id);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^Error 409 SAGA\.STATE_CONFLICT: /);
    });

    it('bulk cancels the waiting checkouts a filter matches, printing the progress and the final counts', async () => {
      const from = new Date().toISOString();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const published = JSON.parse(
          (await cli('publish', 'order.placed', '--payload', JSON.stringify(order()), '--json')).stdout,
        ) as PublishResult;
        ids.push(...published.started);
      }
      await waitFor(
        () => Promise.all(ids.map(statusOf)),
        (sagas) => sagas.every((saga) => saga.status === 'waiting'),
        { intervalMs: 100, timeoutMs: 60_000 },
      );
      const filter = ['--name', 'checkout', '--status', 'waiting', '--from', from];

      const bulk = await cli('bulk', 'cancel', ...filter, '--reason', 'bulk from the CLI');
      expect(bulk).toMatchObject({ code: 0, stderr: '' });
      expect(bulk.stdout).toMatch(/^Bulk cancel \S+ started\.$/m);
      expect(bulk.stdout).toMatch(/^completed: matched 3, applied 3, skipped 0, failed 0$/m);
      expect(bulk.stdout).toMatch(/^Status: +completed$/m);
      const [, bulkId] = bulk.stdout.match(/^Bulk: +(\S+)$/m) ?? [];
      await waitFor(
        () => Promise.all(ids.map(statusOf)),
        (sagas) => sagas.every((saga) => saga.status === 'compensated'),
        { intervalMs: 100, timeoutMs: 60_000 },
      );

      const shown = JSON.parse((await cli('bulk', 'status', bulkId, '--json')).stdout) as BulkOperation;
      expect(shown).toMatchObject({
        id: bulkId,
        operation: 'cancel',
        matched: 3,
        applied: 3,
        reason: 'bulk from the CLI',
      });
      const again = JSON.parse((await cli('bulk', 'cancel', '--name', 'checkout', '--from', from, '--json')).stdout);
      expect(again).toMatchObject({ status: 'completed', matched: 3, applied: 0, skipped: 3 });

      expect((await cli('bulk', 'cancel', '--reason', 'no filter')).code).toBe(2);
      expect((await cli('bulk', 'resolve', '--status', 'compensation_failed')).code).toBe(2);
      const badStatus = await cli('bulk', 'cancel', '--status', 'stuck');
      expect(badStatus.code).toBe(1);
      expect(badStatus.stderr).toMatch(/^ {2}filter\.status: /m);
      expect((await cli('bulk', 'status', '00000000-0000-4000-8000-000000000000')).stderr).toMatch(
        /^Error 404 SAGA\.BULK_NOT_FOUND: /,
      );
    });

    it('publishes an event with an id once: the repeat answers the first result', async () => {
      const eventId = `cli-evt-${Date.now()}`;
      const args = ['publish', 'order.placed', '--id', eventId, '--payload', JSON.stringify(order()), '--json'];
      const first = JSON.parse((await cli(...args)).stdout) as PublishResult;
      const second = JSON.parse((await cli(...args)).stdout) as PublishResult;
      expect(first.eventId).toBe(eventId);
      expect(second).toEqual(first);
    });

    it('sends an expense its decision once per idempotency key, and answers its progress query', async () => {
      const input = { expenseId: `cli-ex-${Date.now()}`, employeeId: 'e-1', amountCents: 100 };
      const { id } = JSON.parse((await cli('start', 'expense', '--input', JSON.stringify(input), '--json')).stdout) as {
        id: string;
      };
      const decision = JSON.stringify({ approver: 'ann', approved: true });
      const sent = await cli('signal', id, 'decision', decision, '--idempotency-key', `cli-${id}`);
      expect(sent).toMatchObject({ code: 0, stdout: `Signal decision sent to saga ${id}: seq 1.\n` });
      const again = await cli('signal', id, 'decision', decision, '--idempotency-key', `cli-${id}`);
      expect(again.stdout).toBe(sent.stdout);
      await waitFor(
        () => statusOf(id),
        (saga) => saga.status === 'completed',
        { intervalMs: 100 },
      );
      const answered = await cli('query', id, 'progress');
      expect(answered.code).toBe(0);
      expect(JSON.parse(answered.stdout)).toMatchObject({ decision: 'approved', approver: 'ann', reimbursed: true });
      const unknown = await cli('query', id, 'nothing');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/^Error 400 SAGA\.QUERY_INVALID: /);
    });

    it('exits 1 with the code when retry or resolve meet a saga whose compensation did not fail', async () => {
      const started = JSON.parse(
        (await cli('start', 'transfer', '--input', JSON.stringify(transfer()), '--json')).stdout,
      ) as { id: string };
      await waitFor(
        () => statusOf(started.id),
        (saga) => saga.status === 'completed',
        { intervalMs: 100 },
      );

      const retried = await cli('retry', started.id, '--note', 'try again');
      expect(retried).toMatchObject({ code: 1, stdout: '' });
      expect(retried.stderr).toMatch(/^Error 409 SAGA\.STATE_CONFLICT: /);
      const resolved = await cli('resolve', started.id, '--note', 'done by hand');
      expect(resolved.code).toBe(1);
      expect(resolved.stderr).toMatch(/^Error 409 SAGA\.STATE_CONFLICT: /);
    });

    it('exits 1 with the code for an unknown saga, and the invalid fields of a 400', async () => {
      const missing = await cli('status', 'no-such-saga');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^Error 404 SAGA\.NOT_FOUND: /);

      const invalid = await cli('start', 'transfer', '--input', JSON.stringify(transfer({ amountCents: -5 })));
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/^Error 400 SAGA\.INPUT_INVALID: /);
      expect(invalid.stderr).toMatch(/^ {2}amountCents: /m);
    });

    it('exits 2 with the problem and the usage for a bad command line, before calling the API', async () => {
      for (const args of [
        [],
        ['frobnicate'],
        ['status'],
        ['resolve', 'x'],
        ['list', '--colour'],
        ['start', 'x', '--input', '{'],
      ]) {
        const result = await cli(...args);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/Usage: sagaflow/);
        expect(result.stdout).toBe('');
      }
      const help = await cli('publish', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: sagaflow publish <type> \[--key <key>\] \[--id <id>\] \[--payload <json>\]/);
    });
  });

  describe('when the API wants a key', () => {
    let system: SagaflowSystem;

    beforeAll(async () => {
      system = await SagaflowSystem.start({ apiEnv: { SAGAFLOW_API_KEYS: 'k' } });
    });
    afterAll(() => system.stop());

    it('exits 1 with AUTH.MISSING without a key, and succeeds with --api-key or SAGAFLOW_API_KEY', async () => {
      const env = { SAGAFLOW_URL: system.baseUrl };
      const without = await sagaflow(['list'], env);
      expect(without.code).toBe(1);
      expect(without.stderr).toMatch(/^Error 401 AUTH\.MISSING: /);

      const wrong = await sagaflow(['list', '--api-key', 'nope'], env);
      expect(wrong.stderr).toMatch(/^Error 403 AUTH\.INVALID_KEY: /);

      expect((await sagaflow(['list', '--api-key', 'k'], env)).code).toBe(0);
      expect((await sagaflow(['list'], { ...env, SAGAFLOW_API_KEY: 'k' })).code).toBe(0);
    });
  });

  it('exits 1 naming the URL when the API cannot be reached', async () => {
    const result = await sagaflow(['list', '--url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Cannot reach the API at http:\/\/127\.0\.0\.1:9: /);
  });
});
