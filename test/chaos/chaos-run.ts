import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SagaRecord } from '@sagaflow/core';
// The gateway's own file, not the package index: the index also exports the Nest module, which Jest need not load.
import { BankGateway } from '../../libs/samples/src/transfer/gateways/bank.gateway';
import { SagaflowSystem, type AppProcess } from '../support/apps';
import { connect } from '../support/redis';
import { PrivateRedis } from '../../tools/private-redis';

/**
 * The chaos run: the API and worker processes against a private Redis with AOF, a mix of `transfer` and
 * `checkout` sagas (a good part of them must compensate), and a worker SIGKILLed about every `killEveryMs` and
 * replaced. The run plays the carrier too: a checkout that has shipped waits for its delivery, which the run
 * reports through `POST /demo/shipments/:orderId/deliver` as soon as it sees the saga waiting. At the end, every
 * figure the guarantees promise is checked from the outside: no accepted saga lost, every saga terminal, no effect
 * applied twice, money and stock conserved.
 */

export interface ChaosOptions {
  /** Sagas to start. */
  sagas: number;
  /** A worker is SIGKILLed (and a replacement started) about this often. */
  killEveryMs: number;
  /** Worker processes kept alive. @defaultValue 2 */
  workers?: number;
  /**
   * Sagas started per second, on average. They are started in waves, one wave of `rate × killEveryMs / 1000`
   * right before each kill: steps take milliseconds, so a kill at a random instant would mostly find the workers
   * idle, while a kill that falls inside a wave catches steps and compensations in the workers' hands. The run
   * lasts about `sagas / rate` seconds. @defaultValue 20
   */
  rate?: number;
  /** Sagas in flight at once, at most: each client starts a saga, waits until it ends, then starts the next. @defaultValue 40 */
  inFlight?: number;
  /**
   * After releasing a wave, the kill waits a random time up to this, so that it falls on the first steps of some
   * sagas and on the later steps and compensations of others. @defaultValue 150
   */
  killSpreadMs?: number;
  /** Kills to make at least, even when the sagas are all started before. @defaultValue 3 */
  minKills?: number;
  /** How long a client waits for its saga before it moves on (the saga is checked again at the end). @defaultValue 30000 */
  sagaTimeoutMs?: number;
  /** How long, after the last kill, every saga has to end. @defaultValue 120000 */
  settleTimeoutMs?: number;
  /** Seed of the mix: the same seed starts the same sequence of sagas (the kills' timing is not reproducible). @defaultValue random */
  seed?: number;
  /** Write the diagnostics (report, records, every process' log) even when there is no problem. */
  keepLogs?: boolean;
  /** Progress lines, e.g. `process.stderr.write`. */
  progress?: (line: string) => void;
}

/** The kinds of saga in the mix, and what each must end as when nothing goes wrong. */
type Kind =
  | 'transfer'
  | 'transfer-to-closed'
  | 'transfer-poison'
  | 'transfer-flaky-to-closed'
  | 'checkout'
  | 'checkout-card-retried'
  | 'checkout-declined'
  | 'checkout-unshippable';

const MIX: readonly [Kind, number][] = [
  ['transfer', 30],
  ['transfer-to-closed', 8],
  ['transfer-poison', 6],
  ['transfer-flaky-to-closed', 6],
  ['checkout', 26],
  ['checkout-card-retried', 8],
  ['checkout-declined', 8],
  ['checkout-unshippable', 8],
];

const CARDS = { ok: '4242424242424242', declined: '4000000000000002', failsTwiceThenSucceeds: '4000000000000119' };
const SKUS: readonly [string, number][] = [
  ['SKU-COFFEE', 6],
  ['SKU-MUG', 3],
  ['SKU-GRINDER', 1],
];
/** Opened by the run beside the demo's acct-* accounts, for more spread. */
const EXTRA_ACCOUNTS = ['acct-chaos-1', 'acct-chaos-2', 'acct-chaos-3', 'acct-chaos-4'];
const ENGINE_ENV = {
  SAGAFLOW_LOCK_DURATION_MS: '2000',
  SAGAFLOW_SWEEP_INTERVAL_MS: '1000',
  SAGAFLOW_STUCK_AFTER_MS: '3000',
  WORKER_CONCURRENCY: '20',
};
const TERMINAL = new Set(['completed', 'compensated']);

interface TransferInput {
  transferId: string;
  fromAccount: string;
  toAccount: string;
  amountCents: number;
  reference?: string;
}

interface CheckoutInput {
  orderId: string;
  customerId: string;
  items: { sku: string; quantity: number; priceCents: number }[];
  payment: { cardNumber: string };
  shippingAddress: { line1: string; city: string; country: string };
}

/** One saga the run tried to start. */
interface Attempt {
  kind: Kind;
  saga: 'transfer' | 'checkout';
  input: TransferInput | CheckoutInput;
  /** Set on a 202. */
  id?: string;
  /** The non-202 answer or network error, if any. */
  startError?: string;
  /** The last record read, if any. */
  record?: SagaRecord;
  /** The status of the last read: 200, 404, or 0 for a network error. */
  readStatus?: number;
  /** For a checkout that waited for its delivery: the last answer of the delivery (0 for a network error). */
  delivery?: { status: number; body?: unknown };
}

interface Stock {
  sku: string;
  available: number;
  reserved: number;
  shipped: number;
}

/** A saga or figure that broke a guarantee or an expectation, with what is needed to look into it. */
export interface ChaosProblem {
  what: string;
  kind?: Kind;
  sagaId?: string;
  detail?: unknown;
}

export interface ChaosReport {
  sagasStarted: number;
  workerKills: number;
  /** Started sagas that answer 404. */
  sagasLost: number;
  /** Started sagas not `completed` or `compensated` at the end (found or not answering). */
  sagasNotTerminal: number;
  /** Ledger keys applied more than once, plus orders whose saga compensated with the payment still captured. */
  effectsAppliedTwice: number;
  /** |total balance after − before|. */
  balanceDrift: number;
  /** Per SKU: |units after − before| + |reserved after − before| + |shipped after − before − units of completed orders|. */
  stockDrift: number;
  /** Starts answered by anything but a 202 (none expected: the run has no idempotency keys to retry with). */
  startFailures: number;
  /**
   * Further checks, 0 when all is well: an account whose balance is not what the completed transfers make it, a
   * completed order not captured (or captured for another amount) or not delivered, a compensated order with a
   * live shipment, a delivery the API refused.
   */
  otherInconsistencies: number;
  /** Terminal sagas that ended otherwise than their kind must (e.g. a plain transfer compensated). */
  unexpectedOutcomes: number;
  completed: number;
  compensated: number;
  /** Sagas whose history shows an attempt begun and never ended: a kill caught it in a worker's hands. */
  sagasHitMidStep: number;
  /** Kills made while a step job was active (in some worker's hands; not necessarily the victim's). */
  killsWithJobsActive: number;
  /** Jobs that a worker found already past their cursor ("Skipped a stale job"): redelivered after a kill. */
  staleJobsSkipped: number;
  /** Sagas the sweeper moved because no job did (its "Sweep moved sagas" warnings, summed). */
  sweeperMoves: number;
  /** Deliveries the run reported, and how many of them found no saga registered as waiting (the event was kept). */
  deliveries: number;
  deliveriesKept: number;
  /** Mean time between two kills. */
  meanKillIntervalMs: number;
  elapsedMs: number;
  seed: number;
  byKind: Record<string, { started: number; completed: number; compensated: number; other: number }>;
  /** WARN and ERROR lines of all processes, grouped by message with ids and figures masked, most frequent first. */
  logSummary: [message: string, count: number][];
  problems: ChaosProblem[];
  /** Where the problems, the records and every process' log were written, when there were problems. */
  diagnosticsDir?: string;
}

/** The one line of the run: the seven figures, in this order, then what else happened. */
export function formatReport(report: ChaosReport): string {
  return (
    `chaos: ${report.sagasStarted} sagas started, ${report.workerKills} worker kills, ${report.sagasLost} sagas lost, ` +
    `${report.sagasNotTerminal} sagas not terminal, ${report.effectsAppliedTwice} effects applied twice, ` +
    `${report.balanceDrift} balance drift, ${report.stockDrift} stock drift ` +
    `(${report.completed} completed, ${report.compensated} compensated; ${report.startFailures} start failures, ` +
    `${report.otherInconsistencies} other inconsistencies, ${report.unexpectedOutcomes} unexpected outcomes; ` +
    `kills caught ${report.sagasHitMidStep} sagas mid-step, ${report.staleJobsSkipped} jobs were redelivered stale, ` +
    `the sweeper moved ${report.sweeperMoves}; ${report.deliveries} deliveries, ${report.deliveriesKept} kept for ` +
    `a wait not registered yet; a kill every ${(report.meanKillIntervalMs / 1000).toFixed(1)} s; ` +
    `${(report.elapsedMs / 1000).toFixed(1)} s)`
  );
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const redis = await PrivateRedis.start();
  let system: SagaflowSystem | undefined;
  try {
    system = await SagaflowSystem.start({ workers: options.workers ?? 2, redisUrl: redis.url, env: ENGINE_ENV });
    return await new ChaosRun(system, redis, options).run();
  } finally {
    await system?.stop().catch(() => undefined);
    await redis.destroy();
  }
}

class ChaosRun {
  /** The mix's own generator, so that a seed reproduces the sequence of sagas. */
  private readonly random: () => number;
  private readonly seed: number;
  private readonly attempts: Attempt[] = [];
  private readonly processes: AppProcess[];
  private kills = 0;
  /** Sagas whose start was answered (202 or not). */
  private tried = 0;
  private permits = 0;
  private readonly waiting: (() => void)[] = [];
  private killsWithJobsActive = 0;
  private readonly killTimes: number[] = [];
  private lastKillAt = Date.now();
  private allStarted = false;
  private readonly startedAt = Date.now();

  constructor(
    private readonly system: SagaflowSystem,
    private readonly redis: PrivateRedis,
    private readonly options: ChaosOptions,
  ) {
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.random = mulberry32(this.seed);
    this.processes = [system.api, ...system.workers];
  }

  async run(): Promise<ChaosReport> {
    for (const id of EXTRA_ACCOUNTS) await this.expect('POST', '/demo/accounts', 201, { id, balanceCents: 1_000_000 });
    const balanceBefore = await this.accounts();
    const stockBefore = await this.stock();
    this.say(`before: total ${balanceBefore.totalCents} cents, stock ${JSON.stringify(stockBefore)}`);

    const killing = this.killWorkers();
    killing.catch(() => undefined); // awaited below; marked handled so that an early failure is not reported twice
    await this.startSagas();
    await killing;
    this.say(`all ${this.attempts.length} sagas tried, ${this.kills} kills; settling`);

    await this.settle();
    return this.report(balanceBefore, stockBefore);
  }

  // --- the load -------------------------------------------------------------------------------------------

  private async startSagas(): Promise<void> {
    const client = async () => {
      while (this.attempts.length < this.options.sagas) {
        const attempt = this.nextSaga();
        this.attempts.push(attempt);
        await this.permit();
        await this.start(attempt);
        if (++this.tried === this.options.sagas) this.allStarted = true;
        if (this.tried % 100 === 0) this.say(`${this.tried} sagas tried, ${this.kills} kills`);
        if (attempt.id) await this.waitUntilEnded(attempt, this.options.sagaTimeoutMs ?? 30_000);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.inFlight ?? 40, this.options.sagas) }, client));
  }

  /** Resolves when the kill loop lets one more saga start. */
  private permit(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private grant(count: number): void {
    this.permits += count;
    while (this.permits > 0 && this.waiting.length > 0) {
      this.permits--;
      this.waiting.shift()?.();
    }
  }

  private async start(attempt: Attempt): Promise<void> {
    try {
      const { status, body } = await this.system.request<{ id: string }>(
        'POST',
        `/sagas/${attempt.saga}`,
        attempt.input,
      );
      if (status === 202) attempt.id = body.id;
      else attempt.startError = `${status} ${JSON.stringify(body)}`;
    } catch (error) {
      attempt.startError = String(error);
    }
  }

  private async waitUntilEnded(attempt: Attempt, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let interval = 50; ; interval = Math.min(interval * 2, 400)) {
      await sleep(interval);
      await this.read(attempt);
      if (this.ended(attempt) || Date.now() > deadline) return;
      if (this.awaitsDelivery(attempt)) await this.deliver(attempt);
    }
  }

  /** Whether the checkout waits for a delivery the run has not reported yet (or whose report failed). */
  private awaitsDelivery(attempt: Attempt): boolean {
    return attempt.saga === 'checkout' && attempt.record?.status === 'waiting' && attempt.delivery?.status !== 200;
  }

  /**
   * Reports the order's parcel delivered. Safe to repeat: the shipment keeps its first delivery and the event, whose
   * id is derived from the order, is published once. A delivery that reaches the saga before its worker registered
   * the wait (a kill between the two) is kept by the engine, and taken when the wait is parked again.
   */
  private async deliver(attempt: Attempt): Promise<void> {
    const { orderId } = attempt.input as CheckoutInput;
    try {
      const { status, body } = await this.system.request('POST', `/demo/shipments/${orderId}/deliver`);
      attempt.delivery = { status, body };
    } catch (error) {
      attempt.delivery = { status: 0, body: String(error) };
    }
  }

  private async read(attempt: Attempt): Promise<void> {
    try {
      const { status, body } = await this.system.request<SagaRecord>('GET', `/sagas/${attempt.id}`);
      attempt.readStatus = status;
      if (status === 200) attempt.record = body;
    } catch {
      attempt.readStatus = 0;
    }
  }

  private ended(attempt: Attempt): boolean {
    return attempt.readStatus === 200 && attempt.record !== undefined && TERMINAL.has(attempt.record.status);
  }

  private nextSaga(): Attempt {
    const kind = this.pick(MIX);
    const ordinary = ['acct-alice', 'acct-bob', 'acct-carol', 'acct-dave', ...EXTRA_ACCOUNTS];
    const two = () => {
      const from = this.pickOne(ordinary);
      return [from, this.pickOne(ordinary.filter((account) => account !== from))];
    };
    const amountCents = 1 + Math.floor(this.random() * 500);
    const transfer = (input: Omit<TransferInput, 'transferId' | 'amountCents'>): Attempt => ({
      kind,
      saga: 'transfer',
      input: { transferId: `tr-${randomUUID().slice(0, 13)}`, amountCents, ...input },
    });
    const checkout = (cardNumber: string, country = 'PT'): Attempt => {
      const first = this.pick(SKUS);
      const skus =
        this.random() < 0.3 ? [first, this.pickOne(SKUS.map(([sku]) => sku).filter((sku) => sku !== first))] : [first];
      return {
        kind,
        saga: 'checkout',
        input: {
          orderId: `order-${randomUUID().slice(0, 13)}`,
          customerId: 'customer-chaos',
          items: skus.map((sku) => ({
            sku,
            quantity: 1 + Math.floor(this.random() * 2),
            priceCents: 100 + Math.floor(this.random() * 5_000),
          })),
          payment: { cardNumber },
          shippingAddress:
            country === 'AQ'
              ? { line1: 'McMurdo Station', city: 'Ross Island', country }
              : { line1: '1 Rua Augusta', city: 'Lisbon', country },
        },
      };
    };
    switch (kind) {
      case 'transfer': {
        // Now and then from the flaky account: its debit is only flaky when given back, so this one completes.
        const [from, to] = two();
        return transfer(
          this.random() < 0.1 ? { fromAccount: 'flaky-1', toAccount: to } : { fromAccount: from, toAccount: to },
        );
      }
      case 'transfer-to-closed':
        return transfer({ fromAccount: this.pickOne(ordinary), toAccount: 'closed-1' });
      case 'transfer-poison': {
        const [from, to] = two();
        return transfer({ fromAccount: from, toAccount: to, reference: 'poison' });
      }
      case 'transfer-flaky-to-closed':
        return transfer({ fromAccount: 'flaky-1', toAccount: 'closed-1' });
      case 'checkout':
        return checkout(CARDS.ok);
      case 'checkout-card-retried':
        return checkout(CARDS.failsTwiceThenSucceeds);
      case 'checkout-declined':
        return checkout(CARDS.declined);
      case 'checkout-unshippable':
        return checkout(CARDS.ok, 'AQ');
    }
  }

  // --- the chaos ------------------------------------------------------------------------------------------

  /**
   * Every `killEveryMs`: lets a wave of sagas start, waits a random moment (and, if need be, until a step job is
   * active), SIGKILLs a random worker that was up before the last replacement, and starts the next replacement at
   * once. The replacement is ready before the following kill, so `workers` processes stay up at all times. Stops
   * once every saga was started and `minKills` kills were made.
   */
  private async killWorkers(): Promise<void> {
    const alive = [...this.system.workers];
    const wave = Math.max(1, Math.round(((this.options.rate ?? 20) * this.options.killEveryMs) / 1_000));
    const probe = connect(this.redis.url);
    const activeJobs = async () => {
      const keys = ['transfer', 'checkout'].map((saga) => `${this.system.prefix}:saga-${saga}:active`);
      const [transfers, checkouts] = await Promise.all(keys.map((key) => probe.llen(key)));
      return transfers + checkouts;
    };
    const addWorker = () => {
      const starting = this.system.addWorker();
      starting.catch(() => undefined); // awaited before the next kill
      return starting;
    };
    let replacement = addWorker();
    try {
      for (;;) {
        await sleep(this.lastKillAt + this.options.killEveryMs - Date.now());
        if (this.allStarted && this.kills >= (this.options.minKills ?? 3)) break;
        const ready = await replacement;
        this.processes.push(ready);
        this.grant(wave);
        await sleep(Math.random() * (this.options.killSpreadMs ?? 150));
        const aimUntil = Date.now() + 500;
        let active = await activeJobs();
        while (active === 0 && Date.now() < aimUntil && !this.allStarted) {
          await sleep(2);
          active = await activeJobs();
        }
        if (active > 0) this.killsWithJobsActive++;
        const victim = alive.splice(Math.floor(Math.random() * alive.length), 1)[0];
        alive.push(ready);
        await victim.stop('SIGKILL');
        this.kills++;
        this.lastKillAt = Date.now();
        this.killTimes.push(this.lastKillAt);
        replacement = addWorker();
      }
      this.processes.push(await replacement);
    } finally {
      // Whatever happened here, the clients must not wait for a wave that never comes.
      this.grant(Number.MAX_SAFE_INTEGER);
      await probe.quit();
    }
  }

  // --- the end --------------------------------------------------------------------------------------------

  /** Reads every started saga until all ended, or `settleTimeoutMs` after the last kill. */
  private async settle(): Promise<void> {
    const deadline = this.lastKillAt + (this.options.settleTimeoutMs ?? 120_000);
    let open = this.attempts.filter((attempt) => attempt.id !== undefined);
    for (;;) {
      await mapLimit(open, 20, async (attempt) => {
        await this.read(attempt);
        if (this.awaitsDelivery(attempt)) await this.deliver(attempt);
      });
      open = open.filter((attempt) => !this.ended(attempt) && attempt.readStatus !== 404);
      if (open.length === 0 || Date.now() > deadline) return;
      this.say(`${open.length} sagas not ended yet`);
      await sleep(1_000);
    }
  }

  private async report(
    balanceBefore: { accounts: { id: string; balanceCents: number }[]; totalCents: number },
    stockBefore: Stock[],
  ): Promise<ChaosReport> {
    const problems: ChaosProblem[] = [];
    const started = this.attempts.filter((attempt) => attempt.id !== undefined);
    const problem = (what: string, attempt?: Attempt, detail?: unknown) =>
      problems.push({ what, kind: attempt?.kind, sagaId: attempt?.id, detail: detail ?? attempt });

    for (const attempt of this.attempts.filter((candidate) => candidate.startError !== undefined)) {
      problem('start failed', attempt, { input: attempt.input, error: attempt.startError });
    }
    const lost = started.filter((attempt) => attempt.readStatus === 404);
    for (const attempt of lost) problem('lost: 404 for an accepted saga', attempt);
    const notTerminal = started.filter((attempt) => attempt.readStatus !== 404 && !this.ended(attempt));
    for (const attempt of notTerminal)
      problem(`not terminal: ${attempt.record?.status ?? `read ${attempt.readStatus}`}`, attempt);
    const completed = started.filter((attempt) => this.ended(attempt) && attempt.record?.status === 'completed');
    const compensated = started.filter((attempt) => this.ended(attempt) && attempt.record?.status === 'compensated');
    let otherInconsistencies = 0;
    const delivered = started.filter((attempt) => attempt.delivery?.status === 200);
    // The last report of a delivery failed: the shipment was cancelled under a waiting checkout, or the API failed.
    for (const attempt of started.filter((candidate) => candidate.delivery && candidate.delivery.status !== 200)) {
      otherInconsistencies++;
      problem(`delivery answered ${attempt.delivery?.status}`, attempt, attempt.delivery);
    }

    // Outcomes against what each kind must end as.
    let unexpectedOutcomes = 0;
    for (const attempt of [...completed, ...compensated]) {
      const why = unexpected(attempt);
      if (why) {
        unexpectedOutcomes++;
        problem(`unexpected outcome: ${why}`, attempt);
      }
    }

    // Effects applied twice: the bank's ledger, and payments of compensated orders.
    const connection = connect(this.redis.url);
    let ledgerTwice: string[];
    try {
      ledgerTwice = await new BankGateway(connection, this.system.prefix).keysAppliedMoreThanOnce();
    } finally {
      await connection.quit();
    }
    for (const key of ledgerTwice)
      problem('ledger key applied more than once', undefined, { key, saga: this.bySagaId(key.split(':')[0]) });
    const orders = [...completed, ...compensated].filter((attempt) => attempt.saga === 'checkout');
    let capturedButCompensated = 0;
    await mapLimit(orders, 20, async (attempt) => {
      const { orderId, items } = attempt.input as CheckoutInput;
      const payment = await this.system.request<{ status: string; amountCents: number }>(
        'GET',
        `/demo/payments/${orderId}`,
      );
      const shipment = await this.system.request<{ status: string }>('GET', `/demo/shipments/${orderId}`);
      const seen = { payment, shipment };
      if (attempt.record?.status === 'compensated') {
        if (payment.status === 200 && payment.body.status !== 'refunded') {
          capturedButCompensated++;
          problem('compensated order still charged', attempt, seen);
        }
        if (shipment.status === 200 && shipment.body.status !== 'cancelled') {
          otherInconsistencies++;
          problem('compensated order still shipped', attempt, seen);
        }
      } else {
        const total = items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
        if (payment.status !== 200 || payment.body.status !== 'captured' || payment.body.amountCents !== total) {
          otherInconsistencies++;
          problem(`completed order not captured once for ${total} cents`, attempt, seen);
        }
        // A checkout completes only once its parcel is delivered.
        if (shipment.status !== 200 || shipment.body.status !== 'delivered') {
          otherInconsistencies++;
          problem('completed order not delivered', attempt, seen);
        }
      }
    });

    // Money: the total is conserved, and each account moved by exactly its completed transfers.
    const balanceAfter = await this.accounts();
    const balanceDrift = Math.abs(balanceAfter.totalCents - balanceBefore.totalCents);
    if (notTerminal.length === 0 && lost.length === 0) {
      const expected = new Map(balanceBefore.accounts.map((account) => [account.id, account.balanceCents]));
      for (const attempt of completed.filter((candidate) => candidate.saga === 'transfer')) {
        const { fromAccount, toAccount, amountCents } = attempt.input as TransferInput;
        expected.set(fromAccount, (expected.get(fromAccount) ?? 0) - amountCents);
        expected.set(toAccount, (expected.get(toAccount) ?? 0) + amountCents);
      }
      for (const account of balanceAfter.accounts) {
        if (account.balanceCents !== expected.get(account.id)) {
          otherInconsistencies++;
          problem('account balance differs from its completed transfers', undefined, {
            account,
            expected: expected.get(account.id),
          });
        }
      }
    }

    // Stock: units conserved, nothing left reserved, and shipped exactly what completed orders hold.
    const stockAfter = await this.stock();
    const shippedByCompleted = new Map<string, number>();
    for (const attempt of completed.filter((candidate) => candidate.saga === 'checkout')) {
      for (const item of (attempt.input as CheckoutInput).items) {
        shippedByCompleted.set(item.sku, (shippedByCompleted.get(item.sku) ?? 0) + item.quantity);
      }
    }
    let stockDrift = 0;
    for (const before of stockBefore) {
      const after = stockAfter.find((level) => level.sku === before.sku) ?? {
        sku: before.sku,
        available: 0,
        reserved: 0,
        shipped: 0,
      };
      const drift =
        Math.abs(units(after) - units(before)) +
        Math.abs(after.reserved - before.reserved) +
        Math.abs(after.shipped - before.shipped - (shippedByCompleted.get(before.sku) ?? 0));
      if (drift > 0)
        problem('stock drift', undefined, {
          before,
          after,
          shippedByCompleted: shippedByCompleted.get(before.sku) ?? 0,
        });
      stockDrift += drift;
    }
    if (balanceDrift > 0) problem('balance drift', undefined, { before: balanceBefore, after: balanceAfter });

    const byKind: ChaosReport['byKind'] = {};
    for (const attempt of started) {
      const entry = (byKind[attempt.kind] ??= { started: 0, completed: 0, compensated: 0, other: 0 });
      entry.started++;
      const status = this.ended(attempt) ? attempt.record?.status : undefined;
      if (status === 'completed') entry.completed++;
      else if (status === 'compensated') entry.compensated++;
      else entry.other++;
    }

    const report: ChaosReport = {
      sagasStarted: started.length,
      workerKills: this.kills,
      sagasLost: lost.length,
      sagasNotTerminal: notTerminal.length,
      effectsAppliedTwice: ledgerTwice.length + capturedButCompensated,
      balanceDrift,
      stockDrift,
      startFailures: this.attempts.length - started.length,
      otherInconsistencies,
      unexpectedOutcomes,
      completed: completed.length,
      compensated: compensated.length,
      killsWithJobsActive: this.killsWithJobsActive,
      staleJobsSkipped: this.logLines(/Skipped a stale job/).length,
      sweeperMoves: this.logLines(/Sweep moved sagas/).reduce((sum, line) => {
        const moved = /redriven: (\d+), failed: (\d+)/.exec(line);
        return sum + (moved ? Number(moved[1]) + Number(moved[2]) : 0);
      }, 0),
      sagasHitMidStep: started.filter((attempt) => attempt.record && interrupted(attempt.record)).length,
      deliveries: delivered.length,
      deliveriesKept: delivered.filter((attempt) => resumedBy(attempt).length === 0).length,
      meanKillIntervalMs:
        this.killTimes.length < 2
          ? 0
          : (this.killTimes[this.killTimes.length - 1] - this.killTimes[0]) / (this.killTimes.length - 1),
      elapsedMs: Date.now() - this.startedAt,
      seed: this.seed,
      byKind,
      logSummary: summarizeLogs(this.processes),
      problems,
    };
    if (problems.length > 0 || this.options.keepLogs) report.diagnosticsDir = await this.writeDiagnostics(report);
    return report;
  }

  /** Writes the report, each problem saga's record with the log lines that name it, and every process' log. */
  private async writeDiagnostics(report: ChaosReport): Promise<string> {
    const dir = join(tmpdir(), `sagaflow-chaos-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ ...report, problems: undefined }, null, 2));
    const sagas = [];
    for (const problem of report.problems) {
      const attempt = problem.sagaId ? this.bySagaId(problem.sagaId) : undefined;
      const names = [
        problem.sagaId,
        ...(attempt
          ? [(attempt.input as { transferId?: string }).transferId, (attempt.input as { orderId?: string }).orderId]
          : []),
      ].filter((name): name is string => typeof name === 'string');
      const record = problem.sagaId
        ? await this.system.request('GET', `/sagas/${problem.sagaId}`).catch((error: unknown) => String(error))
        : undefined;
      const logs =
        names.length === 0
          ? []
          : this.processes.flatMap((process) =>
              process.log
                .split('\n')
                .filter((line) => names.some((name) => line.includes(name)))
                .map((line) => `${process.app}#${process.pid}: ${line}`),
            );
      sagas.push({ ...problem, input: attempt?.input, record, logs });
    }
    writeFileSync(join(dir, 'problems.json'), JSON.stringify(sagas, null, 2));
    for (const process of this.processes) writeFileSync(join(dir, `${process.app}-${process.pid}.log`), process.log);
    const all = this.attempts.map(({ kind, id, input, startError, record }) =>
      JSON.stringify({ kind, id, input, startError, record }),
    );
    writeFileSync(join(dir, 'sagas.jsonl'), `${all.join('\n')}\n`);
    // BullMQ's event streams (capped by BullMQ at about 10,000 events each): which job was added, became active,
    // stalled, completed, failed or was removed (the sweeper removes a completed job before it adds it again).
    const connection = connect(this.redis.url);
    try {
      for (const saga of ['transfer', 'checkout']) {
        const events = await connection.xrange(`${this.system.prefix}:saga-${saga}:events`, '-', '+');
        const lines = events.map(([id, fields]) => {
          const event: Record<string, string> = { streamId: id };
          for (let i = 0; i < fields.length; i += 2) event[fields[i]] = fields[i + 1];
          return JSON.stringify(event);
        });
        writeFileSync(join(dir, `events-${saga}.jsonl`), `${lines.join('\n')}\n`);
      }
    } finally {
      await connection.quit();
    }
    return dir;
  }

  // --- helpers --------------------------------------------------------------------------------------------

  private logLines(pattern: RegExp): string[] {
    return this.processes.flatMap((process) => process.log.split('\n').filter((line) => pattern.test(line)));
  }

  private bySagaId(id: string): Attempt | undefined {
    return this.attempts.find((attempt) => attempt.id === id);
  }

  private async accounts(): Promise<{ accounts: { id: string; balanceCents: number }[]; totalCents: number }> {
    return (await this.expect('GET', '/demo/accounts', 200)) as {
      accounts: { id: string; balanceCents: number }[];
      totalCents: number;
    };
  }

  private async stock(): Promise<Stock[]> {
    return (await this.expect('GET', '/demo/inventory', 200)) as Stock[];
  }

  private async expect(method: string, path: string, status: number, body?: unknown): Promise<unknown> {
    const answer = await this.system.request(method, path, body);
    if (answer.status !== status)
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  private pick<T>(weighted: readonly [T, number][]): T {
    let roll = this.random() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of weighted) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return weighted[weighted.length - 1][0];
  }

  private pickOne<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  private say(line: string): void {
    this.options.progress?.(`chaos +${((Date.now() - this.startedAt) / 1000).toFixed(1)}s: ${line}\n`);
  }
}

/** Why a terminal saga's outcome is not what its kind must end as, or undefined when it is. */
function unexpected(attempt: Attempt): string | undefined {
  const record = attempt.record as SagaRecord;
  const outOfStock = record.status === 'compensated' && record.error?.code === 'CHECKOUT.OUT_OF_STOCK';
  switch (attempt.kind) {
    case 'transfer':
      return record.status === 'completed' ? undefined : `a plain transfer ended ${record.status}`;
    case 'checkout':
    case 'checkout-card-retried':
      return record.status === 'completed' || outOfStock
        ? undefined
        : `an order that can be served ended ${record.status} (${record.error?.code ?? record.error?.name})`;
    default:
      return record.status === 'compensated' ? undefined : `a saga that must compensate ended ${record.status}`;
  }
}

/**
 * Whether an attempt of a step or compensation was begun and never ended (no succeeded or failed entry for it):
 * a kill caught it in a worker's hands, and its job was redelivered.
 */
function interrupted(record: SagaRecord): boolean {
  const count = (type: string, step?: string) =>
    record.history.filter((entry) => entry.type === type && entry.step === step).length;
  return record.steps.some(
    ({ name }) =>
      count('step.started', name) > count('step.succeeded', name) + count('step.failed', name) ||
      count('compensation.started', name) > count('compensation.succeeded', name) + count('compensation.failed', name),
  );
}

/** The sagas the run's delivery of this order resumed, as the API answered. */
function resumedBy(attempt: Attempt): string[] {
  return (attempt.delivery?.body as { event?: { resumed?: string[] } } | undefined)?.event?.resumed ?? [];
}

function units(level: Stock): number {
  return level.available + level.reserved + level.shipped;
}

/** WARN/ERROR lines by message, with ids, figures and times masked. */
function summarizeLogs(processes: readonly AppProcess[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const process of processes) {
    for (const line of process.log.split('\n')) {
      if (!/\b(WARN|ERROR)\b/.test(line)) continue;
      const message = line
        .replace(/^.*?\b(WARN|ERROR)\b\s*/, '$1 ')
        .replace(/\s*\{.*\}\s*$/, '')
        .replace(/"[^"]*"/g, '"…"')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
        .replace(/\b(order|tr)-[0-9a-f-]+/g, '$1-<id>')
        .replace(/\d+/g, 'N');
      counts.set(message, (counts.get(message) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
